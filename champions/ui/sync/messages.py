"""Sync's sentences in the person's language.

The sync layer has no Qt, so it cannot call tr(); its errors carry an English ``template`` and
its ``values`` apart (see ``champions.sync.errors``). Every template is listed here for the
translators (QT_TRANSLATE_NOOP, context "SyncMessages"; tests/ui/test_sync_tr.py checks the list
is complete), and :func:`sync_message` translates one at display time. The hub's own words
(a refusal reason, "the hub says") are shown as they came: they are in the hub's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from champions.sync.errors import SyncError

CONTEXT = "SyncMessages"

TEMPLATES = (
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub refused the request (error {status}).'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'Enter the hub address your coordinator gave you (it starts with https://).'),
    QT_TRANSLATE_NOOP("SyncMessages",
        '“{url}” is not a web address. It should look like https://hub.example.org.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The network sent Champions to a different page instead of the hub. On a public or guest '
        'Wi-Fi, open a web browser and sign in to the network first; otherwise check the hub '
        'address. Your work is saved on this laptop.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'This version of Champions is too old for your hub. Your work stays saved on this laptop '
        'and you can keep working offline; ask your IT team to install the new version, then it '
        'will sync.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'This laptop can no longer sync: your coordinator has switched off its access to the hub.'
        ' Nothing is lost: your unsynced records stay on this laptop. Use “Export for my '
        'coordinator” to give them to your coordinator as a file.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub does not recognise this laptop any more. Ask your coordinator for a new invite '
        'code and enrol again; your records stay on this laptop.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub refused a batch as too large. Champions will send smaller batches.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub is busy or had a problem (error {status}). Champions will try again later.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub is busy or had a problem (error {status}). Champions will try again later. It '
        'asked to wait {seconds} seconds.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The CA bundle {path} could not be read as certificates. Champions could not confirm it '
        "is talking to the real hub, because the hub's security certificate is not trusted on "
        'this computer. This often happens on a network whose proxy inspects secure connections '
        '(a TLS-inspecting proxy) with its own certificate. Ask your IT team for that certificate'
        ' and put its file in the “CA bundle” setting (ca_bundle). Champions never turns '
        'certificate checks off.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'This laptop is not connected to a hub yet. Enrol with the invite code from your '
        'coordinator.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        "Champions could not confirm it is talking to the real hub, because the hub's security "
        'certificate is not trusted on this computer. This often happens on a network whose proxy'
        ' inspects secure connections (a TLS-inspecting proxy) with its own certificate. Ask your'
        ' IT team for that certificate and put its file in the “CA bundle” setting (ca_bundle). '
        'Champions never turns certificate checks off.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        '“{url}” is not a web address Champions can use. Check the hub address.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub did not answer in time. The connection may be slow or down; Champions will try '
        'again.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'Champions cannot reach the hub right now (no connection, or the hub is down). Your work '
        'is saved on this laptop and will be sent when the hub can be reached.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub sent an answer Champions does not understand. Tell your coordinator; the hub may'
        ' need updating.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        "Champions cannot use this computer's secure password store (keyring), so it has nowhere "
        "safe to keep the hub's key. Ask your IT team to enable the system keyring."),
    QT_TRANSLATE_NOOP("SyncMessages",
        'This laptop was never connected to a hub, so there is no coordinator to export for.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'The hub sent a record this version of Champions cannot read, so nothing from the hub was'
        ' changed on this laptop. Ask your IT team whether Champions needs updating.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        "This laptop's key for the hub is missing from the system keyring. Ask your coordinator "
        'for a new invite code and enrol again; your records stay on this laptop.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'That invite code is not right. Check it and try again.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'That invite code has already been used. Ask your coordinator for a new one.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'That invite code has expired. Ask your coordinator for a new one.'),
    QT_TRANSLATE_NOOP("SyncMessages",
        'Too many wrong codes were tried. Wait a few minutes, then try again.'),
)

HUB_SAYS = QT_TRANSLATE_NOOP("SyncMessages", " (The hub says: {said})")


def translated(template: str, values: Mapping[str, Any] | None = None, hub_says: str = "") -> str:
    text = QCoreApplication.translate(CONTEXT, template)
    if values:
        try:
            text = text.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
            text = template.format(**values)
    if hub_says:
        text += QCoreApplication.translate(CONTEXT, HUB_SAYS).replace("{said}", hub_says)
    return text


def sync_message(exc: BaseException) -> str:
    """What to show for a sync error: its sentence, translated."""
    if isinstance(exc, SyncError):
        return translated(exc.template, exc.values, exc.hub_says)
    return str(exc)


def problem_message(problem: Mapping[str, Any]) -> str | None:
    """The last problem as the engine remembered it in the settings, translated."""
    if not problem:
        return None
    template = problem.get("template")
    if not template:  # remembered by an older version
        return problem.get("message")
    return translated(template, problem.get("values") or {}, problem.get("hub_says") or "")

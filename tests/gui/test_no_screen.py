"""Without a display the application says so and exits 2, instead of Qt aborting the process."""

from __future__ import annotations

from gui.app import main


def test_no_display_gives_a_message_and_exit_2(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    assert "needs a screen" in capsys.readouterr().err

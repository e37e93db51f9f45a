"""The Help menu: what each view shows, and where the documentation is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"

VIEWS = {
    "Live views": "The district's import at the primary substation against the baseline (flat tariff, no demand "
    "response), transformer loading per substation as a heat map, the lowest and highest bus voltage with the "
    "DSO's band, the mean price households face, EV charging and engagement. They follow a run step by step.",
    "Grid": "The network map at the step the time slider picks: one marker per substation (square), MV feeder or "
    "primary substation (circle, sized by its homes), coloured by transformer loading, line loading or lowest "
    "voltage; a group shows its worst member. Click a feeder to zoom into its substations, a substation or a bus "
    "for its series; type a substation's or feeder's name to find it. Hatched grey: a group of fewer than 5 homes "
    "with one who declined consent, whose figures are withheld.",
    "Agents": "One household: its equipment, tariff, bill against the baseline, engagement, the messages its "
    "HEMS received and its HEMS plan. Only households that consented are listed. Search a substation, tariff or "
    "retailer for its group's means (withheld for fewer than 5 homes with one who declined consent).",
    "KPIs": "Every key figure of the run under the name the report uses, with its unit, meaning and code name; "
    "below, the timeline of what happened "
    "(overloads, voltages out of band). Double-click an event to see that moment on the grid map.",
    "Messages": "The market hub's message log (live during a run), filtered by type and stakeholder, with the "
    "latency of each request type and the share lost or failed.",
    "Compare": "Tariff options (flat, time of use, critical peak pricing, the scenario's own) run on the same "
    "households and seed, side by side with differences against the first; the report is the one "
    "`main.py compare` writes.",
}


def fill_help_menu(menu: QMenu, parent: QWidget) -> None:
    """The views explained, and the documentation."""
    menu.addAction("What each view shows", lambda: show_views_help(parent))
    menu.addAction("Documentation (README)", lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(README))))
    menu.addAction("Documentation folder (docs/)", lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(DOCS))))
    menu.addSeparator()
    menu.addAction("About cityflex", lambda: QMessageBox.about(parent, "cityflex", ABOUT))


ABOUT = (
    "<b>cityflex</b>: an agent-based simulator of a city's electricity distribution and its people "
    "(households, HEMS, EVs, retailers, the DSO and a market hub).<br>Keys: F5 run, F6 pause/resume, "
    "F10 step, Shift+F5 stop."
)


def views_help_html() -> str:
    """The text of 'What each view shows'."""
    return "".join(f"<p><b>{name}</b>: {text}</p>" for name, text in VIEWS.items())


def show_views_help(parent: QWidget) -> None:
    """Show what each view shows."""
    box = QMessageBox(parent)
    box.setWindowTitle("What each view shows")
    box.setText(views_help_html())
    box.exec()

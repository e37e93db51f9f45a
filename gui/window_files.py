"""The window's File menu work: open dialogs, "Save scenario as", and exports into new subfolders (a mixin)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from gui.export_dialogs import choose_target
from gui.export_target import fresh_folder, safe_name
from gui.plots import export_csv, export_png, table_csv
from gui.scenario_file import scenario_text
from simulator.errors import CityflexError
from simulator.results.run_result import write_results


class WindowFiles:
    """Saving and exporting for `MainWindow` (which provides the views, `show_error`, `_status`, `_remember`)."""

    def _ask_open_scenario(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open scenario", str(Path.cwd()), "Scenarios (*.toml)")
        if path:
            self.open_path(path)

    def _ask_open_results(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open results directory", str(Path.cwd()))
        if path:
            self.open_path(path)

    def save_scenario(self, path: str | Path) -> bool:
        """Write the edited scenario as TOML: the file it came from with the edits in place (its comments kept)."""
        editor = self.panel.editor
        scenario = editor.scenario()
        if scenario is None:
            self.show_error("The scenario is not valid; fix the fields marked in red before saving.")
            return False
        text, kept = scenario_text(scenario, editor.source, editor.original, editor.data)
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            self.show_error(f"cannot save {path}: {exc}")
            return False
        editor.mark_saved(Path(path))
        self._remember(Path(path))
        self._status(f"saved {path}" + ("" if kept else " (written in full: the source's comments could not be kept)"))
        return True

    def _ask_save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save scenario as", str(Path.cwd()), "Scenarios (*.toml)")
        if path:
            self.save_scenario(path if path.endswith(".toml") else f"{path}.toml")

    def export_results(self, parent_dir: str | Path) -> Path | None:
        """Write the finished run's results into a new subfolder of `parent_dir` (named after the scenario)."""
        if self.result is None:
            self.show_error("Nothing to export yet: run the scenario to its end first.")
            return None
        name = safe_name(self.result.scenario.name)
        target = choose_target(Path(parent_dir), name, "results", self.ask_existing)
        if target is None:
            return None
        try:
            write_results(self.result, target)
        except CityflexError as exc:
            self.show_error(str(exc))
            return None
        self._status(f"results written to {target}")
        return target

    def _ask_export_results(self) -> None:
        if self.result is None:
            self.show_error("Nothing to export yet: run the scenario to its end first.")
            return
        path = QFileDialog.getExistingDirectory(
            self, "Choose a folder: the results go into a new subfolder in it", str(Path.home())
        )
        if path:
            self.export_results(path)

    def export_plots(self, parent_dir: str | Path) -> list[Path]:
        """Write every live plot as PNG and CSV, and the KPI and event tables as CSV, into a new subfolder."""
        out = fresh_folder(Path(parent_dir), "cityflex-plots")
        out.mkdir(parents=True)
        written = []
        for name, plot in self.live.plots().items():
            written += [export_png(plot, out / f"{name}.png"), export_csv(plot, out / f"{name}.csv")]
        written += [table_csv(self.kpis.table, out / "kpis.csv"), table_csv(self.kpis.events, out / "events.csv")]
        self._status(f"plots written to {out}")
        return written

    def _ask_export_plots(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose a folder: the plots go into a new subfolder in it")
        if path:
            self.export_plots(path)

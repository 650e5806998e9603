"""The baseline: a bare Textual app (Header, Static, Footer), started the way Tend is."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a bare Textual app.")
        yield Footer()


if __name__ == "__main__":
    BareApp().run(mouse=False)

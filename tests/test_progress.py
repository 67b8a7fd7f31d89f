import io

from azgraph.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_before_one_second() -> None:
    now = [0.0]
    stream = Terminal()
    with Progress("building", 4, stream=stream, clock=lambda: now[0]) as progress:
        progress.advance()
        now[0] = 0.5
        progress.advance()
    assert stream.getvalue() == ""


def test_counts_and_elapsed_time_after_one_second() -> None:
    now = [0.0]
    stream = Terminal()
    with Progress("building", 4, stream=stream, clock=lambda: now[0]) as progress:
        now[0] = 1.25
        progress.advance()
        now[0] = 2.5
        progress.advance(2)
    assert stream.getvalue() == "\rbuilding: 1/4, 1.2 s\rbuilding: 3/4, 2.5 s\n"


def test_quiet_when_not_a_terminal() -> None:
    now = [0.0]
    stream = io.StringIO()
    with Progress("building", 2, stream=stream, clock=lambda: now[0]) as progress:
        now[0] = 5.0
        progress.advance()
    assert stream.getvalue() == ""

from pathlib import Path

import pytest

from azgraph.errors import ExitCode, OutputError
from azgraph.locking import folder_lock


def test_a_second_writer_fails_cleanly_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    with folder_lock(tmp_path), pytest.raises(OutputError, match="another azgraph process") as err:
        with folder_lock(tmp_path, wait=0.3):
            pass
    assert err.value.exit_code == ExitCode.FILESYSTEM


def test_the_lock_is_released_after_the_block(tmp_path: Path) -> None:
    with folder_lock(tmp_path):
        pass
    with folder_lock(tmp_path, wait=0.1):
        pass

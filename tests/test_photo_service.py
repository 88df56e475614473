"""The pipelines of a run share one RapidOCR (`extractors.photoservice`): photos read there
give the text a pipeline's own RapidOCR gave, the run loads no runtime of its own, and a
reader that is gone is an OCR error on the page, not a crash."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import docbuilder
import pytest
from PIL import Image
from test_rapid import receipt_photo

from extractors.photoservice import PhotoService, ServiceRecogniser
from extractors.rapid import RapidRecogniser
from rpa.batch import PipelineRunner
from rpa.config import Settings
from rpa.errors import OcrError
from rpa.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent


_RUN = """
import sys
from pathlib import Path
from extractors.sources import RawInput
from rpa.batch import PipelineRunner
from rpa.config import load_settings

def runtimes():  # the OCR runtimes this process has imported
    return sorted(name for name in ("openvino", "onnxruntime", "rapidocr") if name in sys.modules)

if __name__ == "__main__":
    photo = Path(sys.argv[1]).read_bytes()
    settings = load_settings(environ={"RPA_HOME": sys.argv[2]})
    with PipelineRunner(settings, int(sys.argv[3])) as runner:
        reader = runner.photos.process
        futures = [runner.submit(RawInput(f"r{n}.jpg", photo, "document", f"r{n}.jpg")) for n in range(2)]
        texts = [future.result().message.attachments[0].pages[0].text for future in futures]
        print(repr((texts, runtimes(), reader.poll() is None)))
    print(repr(reader.poll() is not None))
"""


@pytest.mark.parametrize("workers", [2, 1])
def test_workers_send_their_photos_to_one_reader_and_load_no_runtime(
    settings: Settings, tmp_path: Path, workers: int
) -> None:
    """In a fresh process, as `rpa process` runs (two workers) and as the daemon and a queue
    worker run (one): the run's process imports no OCR runtime."""
    photo = tmp_path / "receipt.jpg"
    photo.write_bytes(docbuilder.image_bytes(receipt_photo(), "JPEG"))
    script = tmp_path / "run.py"
    script.write_text(_RUN)
    done = subprocess.run(
        [sys.executable, str(script), str(photo), str(tmp_path / "home"), str(workers)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    during, after = (eval(line) for line in done.stdout.splitlines())  # noqa: S307 - our own repr
    texts, loaded, reader_running = during
    assert loaded == [] and reader_running and after
    own = RapidRecogniser(settings.ocr).read(Image.open(photo)).text
    assert texts == [own, own]
    assert "TOTAL RM 24.80" in " ".join(own.split())


def test_a_runner_given_its_pipeline_reads_its_photos_in_it(settings: Settings) -> None:
    with PipelineRunner(settings, 1, pipeline=Pipeline(settings)) as runner:
        assert runner.photos is None and runner.pool is None


def test_a_reader_that_died_is_replaced_and_the_next_photos_are_read(settings: Settings) -> None:
    with PhotoService(settings.ocr) as service:
        recogniser = ServiceRecogniser(service.settings(settings.ocr))
        first = recogniser.read(receipt_photo())
        dead = service.process
        dead.kill()  # as a picture that crashes the runtime, or the kernel's OOM killer, would
        dead.wait()
        assert recogniser.read(receipt_photo()) == first
        assert service.process is not dead and service.restarts == 1


def test_the_photo_being_read_when_the_reader_dies_is_an_ocr_error(settings: Settings) -> None:
    big = receipt_photo().resize((2700, 3600))
    with PhotoService(settings.ocr) as service:
        recogniser = ServiceRecogniser(service.settings(settings.ocr))
        recogniser.read(receipt_photo())  # RapidOCR loaded
        killer = threading.Timer(0.5, service.process.kill)  # sent by then; read in 1.5 s
        killer.start()
        with pytest.raises(OcrError, match="the photo reader stopped while reading this picture"):
            recogniser.read(big)
        killer.join()
        assert "TOTAL RM 24.80" in " ".join(recogniser.read(receipt_photo()).text.split())


def test_after_the_run_a_photo_is_an_ocr_error_at_once(settings: Settings) -> None:
    service = PhotoService(settings.ocr)
    recogniser = ServiceRecogniser(service.settings(settings.ocr))
    service.close()
    with pytest.raises(OcrError, match="the photo reader is gone"):
        recogniser.read(receipt_photo())


def test_the_reader_leaves_when_the_run_that_started_it_dies(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from rpa.config import OcrSettings\n"
        "from extractors.photoservice import PhotoService\n"
        "service = PhotoService(OcrSettings())\n"
        "print(service.process.pid, flush=True)\n"
        "os._exit(0)\n"  # no close: as when rpa is killed
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    pid = int(done.stdout.split()[0])
    for _ in range(50):
        if (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]
        ):
            break
        os.sched_yield()
        subprocess.run(["sleep", "0.1"], check=True)
    else:
        os.kill(pid, 9)
        pytest.fail("the photo reader outlived the run that started it")


def test_building_openvinos_rapidocr_starts_no_process_and_sends_nothing() -> None:
    """OpenVINO's import reports its use from a forked process unless its telemetry is off."""
    script = (
        "import os, sys\n"
        "from PIL import Image\n"
        "from extractors.rapid import RapidRecogniser\n"
        "from rpa.config import OcrSettings\n"
        "RapidRecogniser(OcrSettings(photo_runtime='openvino')).read(Image.new('RGB', (200, 80), 'white'))\n"
        "children = open(f'/proc/{os.getpid()}/task/{os.getpid()}/children').read().split()\n"
        "print(len(children), 'openvino' in sys.modules, sys.modules.get('openvino_telemetry'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "True", "None"]


def test_the_readers_socket_is_kept_young_for_cleaners_of_the_temporary_folder(settings: Settings) -> None:
    """A daemon can run for weeks without a photo; a cleaner of /tmp removes what it finds old."""
    with PhotoService(settings.ocr) as service:
        socket = Path(service.address)
        for path in (service.folder, socket):
            os.utime(path, (0, 0))  # 1970: as old as it gets
        service.touch()
        assert all(time.time() - path.stat().st_mtime < 60 for path in (service.folder, socket))
        assert "TOTAL RM 24.80" in " ".join(
            ServiceRecogniser(service.settings(settings.ocr)).read(receipt_photo()).text.split()
        )


def _resident_mb(pid: int) -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) / 1024


def test_a_reader_that_waited_idle_seconds_gives_its_memory_back_and_the_next_photo_is_read(
    settings: Settings,
) -> None:
    """A daemon between two photos: the reader that loaded RapidOCR is replaced by a fresh one,
    never while a photo is being read."""
    with PhotoService(settings.ocr, idle_seconds=1) as service:
        recogniser = ServiceRecogniser(service.settings(settings.ocr))
        fresh = _resident_mb(service.process.pid)
        first = recogniser.read(receipt_photo())
        loaded = service.process
        assert _resident_mb(loaded.pid) > fresh + 100  # RapidOCR's networks
        ends = time.monotonic() + 15
        while service.process is loaded and time.monotonic() < ends:
            time.sleep(0.2)
        assert service.process is not loaded and loaded.poll() is not None
        assert _resident_mb(service.process.pid) < fresh + 30
        assert (service.freed, service.restarts) == (1, 0)
        assert recogniser.read(receipt_photo()) == first


def test_a_reader_is_not_replaced_while_it_reads(settings: Settings) -> None:
    big = receipt_photo().resize((2700, 3600))  # about 1.5 s to read, longer than idle_seconds
    with PhotoService(settings.ocr, idle_seconds=0.5) as service:
        recogniser = ServiceRecogniser(service.settings(settings.ocr))
        recogniser.read(receipt_photo())
        assert "TOTAL" in recogniser.read(big).text  # replaced half way, it would be an OcrError
        assert service.restarts == 0

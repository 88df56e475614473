"""A photo and scanned pages take turns (`extractors.ocr.Turns`, `[ocr] photo_alone`): pages
are read side by side, a photo alone, so that the run's memory never holds RapidOCR's buffers
and Tesseract's pages at once."""

from __future__ import annotations

import threading

import pytest
from conftest import with_ocr
from test_rapid import receipt_photo

from extractors.ocr import TURNS, OcrEngine, Turns
from rpa.config import Settings

WAIT = 10  # seconds a step may take before the test says it is stuck


def _in_thread(work) -> threading.Thread:  # noqa: ANN001 - a function of no arguments
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_pages_are_read_side_by_side() -> None:
    turns, both_in = Turns(), threading.Barrier(2, timeout=WAIT)

    def page() -> None:
        with turns.page():
            both_in.wait()  # broken, not passed, if one page waited for the other

    threads = [_in_thread(page) for _ in range(2)]
    for thread in threads:
        thread.join(WAIT)
    assert not both_in.broken and not any(thread.is_alive() for thread in threads)


def test_a_photo_waits_for_the_page_being_read_and_later_pages_wait_for_the_photo() -> None:
    turns, order = Turns(), []
    page_in, page_out = threading.Event(), threading.Event()

    def first_page() -> None:
        with turns.page():
            page_in.set()
            page_out.wait(WAIT)
            order.append("first page")

    def photo() -> None:
        with turns.photo():
            order.append("photo")

    def later_page() -> None:
        with turns.page():
            order.append("later page")

    threads = [_in_thread(first_page)]
    assert page_in.wait(WAIT)
    threads.append(_in_thread(photo))
    while not turns._photos_waiting:  # noqa: SLF001 - the photo has queued
        threading.Event().wait(0.01)
    threads.append(_in_thread(later_page))
    page_out.set()
    for thread in threads:
        thread.join(WAIT)
    assert order == ["first page", "photo", "later page"]


@pytest.mark.parametrize("alone", [True, False])
def test_an_engine_reads_a_photo_only_when_no_page_is_being_read(settings: Settings, alone: bool) -> None:
    photo, results = receipt_photo(), []
    with OcrEngine(with_ocr(settings, photo_alone=alone)) as engine:
        engine.recogniser(photo=True).prepare()  # RapidOCR loaded: loading takes no turn
        with TURNS.page():  # a scanned page being read elsewhere in this process
            reading = _in_thread(lambda: results.append(engine.ocr(photo, photo=True)))
            reading.join(3 if alone else 60)
            read_beside_the_page = not reading.is_alive()
        reading.join(60)
    assert read_beside_the_page is not alone
    assert "TOTAL" in results[0].text

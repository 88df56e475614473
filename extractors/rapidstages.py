"""What rpa changes in RapidOCR's detector and recogniser besides their networks' compilation
(`extractors.rapidvino`): the detector's picture prepared in float32 (`prepare_pictures_in_float32`),
and the recogniser reading Latin characters only (`read_latin_only`, `[ocr] photo_characters`).
`extractors.rapid.rapidocr_engine` applies both to each RapidOCR it makes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extractors.rapidvino import keep_classes, rapidocr_stage

__all__ = ["kept_classes", "prepare_pictures_in_float32", "read_latin_only"]


# The recogniser scores 18,710 characters at every step of a line, most of them Chinese and
# Japanese: its last layer and the softmax over its classes were 30 % of its time, and the
# decoder's copy and search of those scores more. rpa's customers write in Latin letters, and
# with `photo_characters = "latin"` the recogniser scores only the characters that come before
# Unicode's CJK blocks (radicals, kana, ideographs, Hangul, full-width forms and emoji all come
# after): Latin, Greek, digits, punctuation, currency and other symbols, 1,750 classes. Each of
# them is scored as before, so a line of Latin print reads the same, only where the full set read
# a Chinese character it now reads its likeliest Latin one ("Date :" where it read "Date ："), and
# the probabilities, over fewer classes, run higher, so that a few more scraps of one or two
# characters pass RapidOCR's threshold. Measured on the 63 SROIE photos (2026-12-07), each read in
# turn by both: 0.88 s a photo against 1.10 s (medians; 13 % less time in all), 89.40 % of the
# words of their transcripts against 89.38 %, the text of 47 photos the same, date, total and
# company the same (61, 59 and 50), addresses 84.8 % against 84.9 %. "all" reads every class.
_LATIN_END = 0x2E80


def kept_classes(characters: list[str]) -> list[int]:
    """The recogniser's classes that `photo_characters = "latin"` keeps, in order: CTC's blank
    (class 0, "no character here") and the characters before U+2E80."""
    return [
        index for index, text in enumerate(characters) if index == 0 or all(ord(c) < _LATIN_END for c in text)
    ]


def read_latin_only(engine, *, on_openvino: bool) -> None:  # noqa: ANN001 - rapidocr.RapidOCR
    """Cut `engine`'s recogniser down to `kept_classes`: on OpenVINO its network's last layer
    (`keep_classes`), on ONNX Runtime its scores (the same text, no faster); its decoder is
    given the characters kept."""
    recogniser = rapidocr_stage(engine, "Rec")
    decoder = recogniser.postprocess_op
    classes = kept_classes(decoder.character)
    if on_openvino:
        keep_classes(recogniser.session.model, classes)
    else:
        recogniser.session = _KeptScores(recogniser.session, np.array(classes))
    decoder.character = [decoder.character[index] for index in classes]
    decoder.dict = {text: index for index, text in enumerate(decoder.character)}


@dataclass(frozen=True)
class _KeptScores:
    """A recogniser's session on ONNX Runtime whose scores are those of `classes` only,
    as probabilities over them."""

    session: object
    classes: np.ndarray

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        scores = self.session(batch)[..., self.classes]  # type: ignore[operator]
        return scores / scores.sum(axis=-1, keepdims=True)


def prepare_pictures_in_float32(engine) -> None:  # noqa: ANN001 - rapidocr.RapidOCR
    """Have `engine`'s detector take its pictures from `_DetectorInput`."""
    detector = rapidocr_stage(engine, "Det")
    preparation = detector.get_preprocess
    detector.get_preprocess = lambda: _DetectorInput(preparation())


class _DetectorInput:
    """The picture as RapidOCR's detector takes it, as RapidOCR's `DetPreProcess` makes it
    (resized to multiples of 32, each channel scaled and shifted, channels first), computed
    in float32. RapidOCR computes it in float64, on three copies of the picture, then casts
    it to float32: 46 ms of a SROIE photo's 0.9 s (median, resizing included); this takes
    10 ms, and the text of the 63 SROIE photos is the same."""

    def __init__(self, preparation) -> None:  # noqa: ANN001 - rapidocr's DetPreProcess
        self.preparation = preparation
        self.scale = np.asarray(preparation.scale / preparation.std, dtype=np.float32)
        self.shift = np.asarray(preparation.mean / preparation.std, dtype=np.float32)

    def __call__(self, picture: np.ndarray) -> np.ndarray | None:
        resized = self.preparation.resize(picture)
        if resized is None:
            return None
        channels = np.empty((1, resized.shape[2], *resized.shape[:2]), dtype=np.float32)
        for index in range(resized.shape[2]):
            np.multiply(resized[:, :, index], self.scale[index], out=channels[0, index], casting="unsafe")
            channels[0, index] -= self.shift[index]
        return channels

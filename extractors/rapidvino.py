"""RapidOCR's networks on OpenVINO, compiled and run as rpa wants them (see `extractors.rapid`).

RapidOCR compiles its networks with OpenVINO's defaults and calls each through an infer
request: `infer`, then `get_output_tensor().data`. `compile_networks` compiles them again
with rpa's properties and puts a `BoundedRequest` in the place of each request, which holds
the memory a photo takes within bounds:

- OpenVINO's cache of shapes is off (`_PROPERTIES`), or a reader's memory grows with every
  new photo size;
- lines are read in parts of at most `REC_COLUMNS` columns in all: a batch of six lines is
  padded to its widest, and the recogniser's buffers grow with the batch's columns (42 KB a
  column: six lines 1,200 columns wide took 300 MB). Each line is padded as in its batch, so
  the text is the same;
- in a frugal reader (the photo service's) the detector's buffers are freed as soon as its map
  is taken, and both networks' after each photo (`release_network_memory`): its peak is then
  the larger network's, not their sum (906 MB on a 1,036 x 352 spam GIF, 690 MB after);
- and there the detector is compiled for each photo's input shape (`ShapedDetector`): compiled
  for any shape, OpenVINO gave the same map from buffers twice as large, and kept part of them
  after each photo.

- and oneDNN, which runs OpenVINO's CPU kernels, keeps at most `KERNEL_CACHE` of the kernels
  it made for an input shape (`bound_kernel_cache`), not the 1,024 it keeps by default.

`keep_classes` cuts the recogniser's last layer down to the characters rpa reads (see
`extractors.rapidstages.kept_classes`) before it is compiled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from rpa.errors import OcrError

__all__ = [
    "BoundedRequest",
    "ShapedDetector",
    "REC_COLUMNS",
    "bound_kernel_cache",
    "compile_networks",
    "keep_classes",
    "rapidocr_stage",
    "release_network_memory",
]

# OpenVINO's CPU plugin keeps what it prepared for each input shape it has seen (up to 5,000),
# and every photo and every batch of lines has its own: over the 63 SROIE photos one engine's
# memory grew from 670 MB to 1.9 GB and stayed there. With the cache off it holds what the
# largest input needed (1.5 GB on whole photos, 760 MB with `photo_detection_side = 1024`, where
# ONNX Runtime held 1.3 GB and 980 MB) in the same time. RapidOCR passes no such setting to
# OpenVINO, so its networks are compiled again with it (0.2 s each, once per OCR thread).
# Not kept: one compilation per process with an infer request per thread; two threads reading
# 8 SROIE photos then held 1,080 MB instead of 430 MB. Nor, in a reader that is not frugal, the
# detector compiled for each photo's own size (a static shape, `ShapedDetector`): its buffers for
# a 736 x 1280 input were then 105 MB, not 287 MB, and it ran 9 % faster, but compiling it took
# 0.18 s a photo on an AVX-512 machine. Nor, in a frugal reader, a static detector for sizes
# rounded up to 128 pixels (the picture padded, the map cut back), the last 4
# compiled kept: over the 63 SROIE photos (22 such sizes) it compiled 38 times, a photo's median
# time went from 1.09 to 1.33 s and the reader's peak from 1,720 to 1,530 MB; keeping 32, it
# compiled 21 times, took 1.13 s, and held 2,220 MB (2026-12-07).
_PROPERTIES = {
    "INFERENCE_NUM_THREADS": "1",
    "ENABLE_CPU_PINNING": "False",
    "CPU_RUNTIME_CACHE_CAPACITY": "0",
}
# The detector computes in float32 even where the CPU has bfloat16 units: in bfloat16 its map
# of where text stands shifts a little, enough to cut a line between two widely spaced words
# and read the tail of one letter as a letter ("SAM SAM TRADING GCO"); over the 63 SROIE photos
# 89.26 % of the words of their transcripts against 89.36 % in float32, for 0.13 s more a photo.
# Recognition keeps the CPU's choice (bfloat16 where it has the units): its text is as ONNX Runtime's.
STAGE_PROPERTIES = {"Det": {"INFERENCE_PRECISION_HINT": "f32"}, "Rec": {}}

# Kernels oneDNN keeps for the shapes it has seen (its primitive cache; 1,024 by default): with
# OpenVINO's cache of shapes off it still kept a photo's kernels and what they hold, so a reader grew
# by 10 to 30 MB with every photo of a new size. Over 20 SROIE photos read by a frugal reader
# (2026-12-07, a 2-core AVX-512 machine, three runs each) it rested at 380 MB after them instead of
# 291 MB, and a photo's peak was 601 MB (median) instead of 526, in the same time (25.7 to 29.2 s
# against 22.3 to 31.3 s in all, the load of the machine varying) and with the same text. Keeping
# none held as little but made every batch of lines compile its kernels again.
KERNEL_CACHE = 32

# Columns (pixels across, at the recogniser's height of 48) of the lines read in one call: about
# 100 MB of buffers. A receipt's batch of six short lines (160 to 400 columns each) is one call.
REC_COLUMNS = 2400


@dataclass
class BoundedRequest:
    """An OpenVINO infer request as RapidOCR calls it, that reads a batch in parts of at most
    `columns` columns (batch size x width) when it is given."""

    compiled: object  # openvino.CompiledModel
    columns: int | None = None
    _request: object = field(init=False, repr=False)
    _output: np.ndarray | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._request = self.compiled.create_infer_request()

    def infer(self, inputs: list[np.ndarray]) -> None:
        (batch,) = inputs
        rows = len(batch) if not self.columns else max(1, self.columns // max(1, batch.shape[-1]))
        if rows >= len(batch):  # one call, its output read before the next
            self._request.infer([batch])
            self._output = self._request.get_output_tensor().data
            return
        parts = [_run(self._request, batch[start : start + rows]) for start in range(0, len(batch), rows)]
        self._output = np.concatenate(parts)

    def get_output_tensor(self) -> _Output:
        return _output(self._output)

    def get_compiled_model(self) -> object:
        return self.compiled


@dataclass
class ShapedDetector:
    """The detector of a frugal reader, as RapidOCR calls it: compiled for the shape of each
    photo's input (the last one kept for the next photo of that size), its buffers freed
    after each photo.

    Compiled for any shape (as `BoundedRequest` runs it), OpenVINO gives the same map from
    buffers about twice as large, and keeps part of them after `release_memory`. Over 20 SROIE
    photos read by the photo service's reader (2026-12-07, a 2-core AVX2 machine) the peak of
    a photo went from 822 to 532 MB (median; largest 1,656 to 1,091 MB) and the reader rested
    at 343 MB instead of 405, with the same text and no more time: compiling for a shape
    (0.38 s) cost what the detector then saved running (1.27 s against 1.45 s)."""

    core: object  # openvino.Core
    network: object  # openvino.Model, with dynamic height and width
    properties: dict[str, str]
    _shape: tuple[int, ...] | None = field(default=None, init=False, repr=False)
    _compiled: object = field(default=None, init=False, repr=False)
    _output: np.ndarray | None = field(default=None, init=False, repr=False)

    def infer(self, inputs: list[np.ndarray]) -> None:
        (batch,) = inputs
        if batch.shape != self._shape:
            self._compiled = self._shape = None  # the previous one gone before the next is made
            network = self.network.clone()
            network.reshape(list(batch.shape))
            self._compiled = self.core.compile_model(network, "CPU", self.properties)
            self._shape = batch.shape
        self._output = _run(self._compiled.create_infer_request(), batch)
        self.release_memory()

    def get_output_tensor(self) -> _Output:
        return _output(self._output)

    def get_compiled_model(self) -> ShapedDetector:
        return self

    def release_memory(self) -> None:
        if self._compiled is not None:
            self._compiled.release_memory()


def _run(request, batch: np.ndarray) -> np.ndarray:  # noqa: ANN001 - openvino.InferRequest
    """The network's output on `batch`, copied out of OpenVINO's buffers (which the next
    call, or freeing them, overwrites)."""
    request.infer([np.ascontiguousarray(batch)])
    return np.array(request.get_output_tensor().data)


def _output(output: np.ndarray | None) -> _Output:
    if output is None:
        raise OcrError("the network was asked for its output before it ran")
    return _Output(output)


@dataclass(frozen=True)
class _Output:
    data: np.ndarray


def bound_kernel_cache() -> None:
    """Have oneDNN keep at most `KERNEL_CACHE` kernels, unless the environment says otherwise
    (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``). oneDNN reads it when OpenVINO first runs a network,
    so call it before."""
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(KERNEL_CACHE))


def compile_networks(engine, *, frugal: bool = False) -> None:  # noqa: ANN001 - rapidocr.RapidOCR
    """Compile the networks of `engine` that run on OpenVINO again with rpa's properties, each
    behind a `BoundedRequest` (recognition in parts of `REC_COLUMNS`), or, in a `frugal` reader,
    the detector behind a `ShapedDetector`."""
    from openvino import Core

    core = Core()
    for stage, session in openvino_sessions(engine).items():
        properties = {**_PROPERTIES, **STAGE_PROPERTIES[stage]}
        if stage == "Det" and frugal:
            session.session = ShapedDetector(core, session.model, properties)
            continue
        compiled = core.compile_model(session.model, "CPU", properties)
        lines = stage == "Rec"
        session.session = BoundedRequest(compiled, columns=REC_COLUMNS if lines else None)


def keep_classes(network, classes: list[int]) -> None:  # noqa: ANN001 - openvino.Model
    """Make the recogniser `network` (an OpenVINO model, before it is compiled) score only these
    of its classes, in this order: its last layer (a matrix product and a bias, then a softmax
    over the classes) keeps their columns only. A class it keeps is scored as before, and its
    probability is that of a softmax over the classes kept."""
    from openvino import op

    softmax = network.outputs[0].get_node().input_value(0).get_node()
    layer = softmax.input_value(0).get_node()
    while layer.get_type_name() == "Identity":
        layer = layer.input_value(0).get_node()
    product = layer.input_value(0).get_node()
    ends = [node.get_type_name() for node in (product, layer, softmax)]
    if ends != ["MatMul", "Add", "Softmax"] or product.get_attributes().get("transpose_b"):
        raise OcrError(
            f"the recogniser ends in {', '.join(ends)}, not a matrix product, a bias and a softmax over "
            'its classes; set [ocr] photo_characters = "all"'
        )
    for node in (product, layer):  # the weights and the bias, each its second input
        values = node.input_value(1).get_node().get_data()
        node.input(1).replace_source_output(op.Constant(np.ascontiguousarray(values[..., classes])).output(0))
    network.validate_nodes_and_infer_types()


def release_network_memory(engine) -> None:  # noqa: ANN001 - rapidocr.RapidOCR
    """Free what OpenVINO's networks keep between pictures: the intermediate tensors the
    largest picture read so far needed. A long-lived reader calls it after each picture:
    over 20 SROIE photos a reader then rested at 520 MB instead of 960 MB (its peak, 1.5 GB,
    is the largest photo's), reading the same text in about 5 % more time (median 1.64 to
    1.70 s a photo against 1.51 to 1.64 s), as the buffers are made again for the next one."""
    for session in openvino_sessions(engine).values():
        session.session.get_compiled_model().release_memory()


def openvino_sessions(engine) -> dict[str, object]:  # noqa: ANN001 - rapidocr.RapidOCR
    """The detection ("Det") and recognition ("Rec") sessions of a RapidOCR object that run on
    OpenVINO, by stage."""
    from rapidocr.inference_engine.openvino import OpenVINOInferSession

    sessions = {name: rapidocr_stage(engine, name).session for name in ("Det", "Rec")}
    return {name: session for name, session in sessions.items() if isinstance(session, OpenVINOInferSession)}


def rapidocr_stage(engine, name: str):  # noqa: ANN001, ANN201 - rapidocr.RapidOCR and its stage
    """A RapidOCR object's detector ("Det") or recogniser ("Rec"), with its session (what runs
    its network) and, for the recogniser, its decoder. Raises `OcrError` when this RapidOCR
    holds them otherwise."""
    try:
        stage = {"Det": engine._load_det_model, "Rec": engine._load_rec_model}[name]()  # noqa: SLF001 - see rapid.py
        stage.session  # noqa: B018 - there in every version rpa reads
    except AttributeError as exc:
        raise OcrError(
            f"this rapidocr version loads its models differently ({exc}); install rapidocr 3.10"
        ) from exc
    return stage

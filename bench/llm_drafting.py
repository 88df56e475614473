"""Language-model drafting: what our layer costs around `model.generate`, batching, KB search.

Three measurements, each against a reference taken in the same run:

1. Overhead. One draft through the `transformers` backend (template letter,
   prompt, tokenisation, generation, decoding, every guard) against a raw
   script doing tokenisation, `model.generate` and decoding of the same prompt
   with the same model and generation settings. Goal: at most 1.05x.
2. Batching. Eight drafts through `draft_many` (one `generate` call) against
   the same eight drafted one by one.
3. Knowledge-base search latency over 10,000 passages: BM25 alone (French) and
   BM25 fused with embeddings (English: the real query embedding, passage
   vectors random, which costs the same as real ones to search).

The model is a random-weight Llama built offline (tests/tinymodels.py), sized
so that generation time is that of a small real model on this CPU.

    python bench/llm_drafting.py [--quick] [--check]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tinymodels  # noqa: E402

from drafting import DraftRequest, make_backend  # noqa: E402
from drafting.articles import read_article  # noqa: E402
from drafting.embeddings import SentenceEmbedder  # noqa: E402
from drafting.kb import IndexedPassage, KnowledgeBase  # noqa: E402
from rpa.config import DraftingSettings, KnowledgeSettings, ModelSettings, Settings  # noqa: E402
from rpa.models import Address, Classification, Field, Intent, Message, Passage  # noqa: E402
from rpa.resources import bundled_path  # noqa: E402

MAX_OVERHEAD = 1.05


def requests(count: int) -> list[DraftRequest]:
    out = []
    for n in range(count):
        language = "fr" if n % 2 == 0 else "en"
        body = (
            "Bonjour, ma cuisine est inondée depuis le 14 mars 2025, le plafond du voisin fuit."
            if language == "fr"
            else "Hello, my kitchen was flooded on 14 March 2025 by the flat upstairs."
        )
        message = Message(
            source=f"{n}.eml",
            message_id=f"<{n}@x>",
            subject="Sinistre",
            new_text=body,
            sender=Address("Jean Dupont", "jean.dupont@example.fr"),
        )
        values = {
            "policy_number": f"HAB-2093187{n}",
            "incident_date": "2025-03-14",
            "customer_name": "Jean Dupont",
        }
        fields = {k: Field(k, v, v, 0.9, "body") for k, v in values.items()}
        out.append(DraftRequest(message, fields, Classification(language, Intent.CLAIM_NEW, 0.9)))
    return out


def best_of(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def overhead_and_batching(folder: Path, rounds: int, new_tokens: int) -> tuple[float, float, float, float]:
    settings = dataclasses.replace(
        Settings(home=folder),
        drafting=DraftingSettings(backend="transformers", batch_size=8),
        model=ModelSettings(path=str(folder), max_new_tokens=new_tokens, repetition_penalty=1.0),
    )
    backend = make_backend(settings, bundled_path("templates"))
    (request,) = requests(1)
    backend.draft(request)  # load the model, warm the caches
    local = backend.model.load()
    letter = backend.letters.draft(request)
    conversation = backend._conversation(backend._job(request, letter))
    prompt = local.render(conversation)
    options = backend.model.generation_options(local)

    def raw() -> None:
        import torch

        inputs = local.tokenizer([prompt], return_tensors="pt", add_special_tokens=False)
        with torch.inference_mode():
            output = local.model.generate(**inputs, **options)
        local.tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)

    raw_seconds = best_of(rounds, raw)
    ours_seconds = best_of(rounds, lambda: backend.draft(request))
    batch = requests(8)
    batched = best_of(max(1, rounds // 3), lambda: backend.draft_many(batch))
    one_by_one = best_of(max(1, rounds // 3), lambda: [backend.draft(r) for r in batch])
    return raw_seconds, ours_seconds, len(batch) / batched, len(batch) / one_by_one


def synthetic_passages(count: int) -> list[Passage]:
    """Passages made of the sample articles' words, reshuffled: realistic term statistics."""
    seeds = [p for path in sorted((ROOT / "samples" / "kb").rglob("*.md")) for p in read_article(path)]
    rng = random.Random(7)
    out = []
    for n in range(count):
        seed = seeds[n % len(seeds)]
        words = seed.text.split()
        rng.shuffle(words)
        out.append(Passage(f"synthetic/{n}.md", seed.title, " ".join(words[:80]), seed.language))
    return out


def kb_latency(count: int, queries: int) -> tuple[float, float, float, float, float]:
    import numpy

    passages = synthetic_passages(count)
    rng = numpy.random.default_rng(7)
    started = time.perf_counter()
    lexical_only = SentenceEmbedder(KnowledgeSettings(embeddings=False))
    lexical = KnowledgeBase([IndexedPassage(p) for p in passages], lexical_only)
    build = time.perf_counter() - started
    french = [
        "degat des eaux constat voisin photos",
        "resiliation loi hamon un an",
        "bris de glace franchise",
        "remboursement pharmacie facture iban",
    ]
    bm25 = _latencies(lambda n: lexical.search(french[n % len(french)], "fr", 3), queries)
    embedder = SentenceEmbedder(KnowledgeSettings())
    hybrid = (float("nan"), float("nan"))
    if embedder.is_available():
        vectors = rng.standard_normal((count, 384)).astype(numpy.float32)
        vectors /= numpy.linalg.norm(vectors, axis=1, keepdims=True)
        indexed = [
            IndexedPassage(p, vectors[n].tobytes() if p.language == "en" else None)
            for n, p in enumerate(passages)
        ]
        both = KnowledgeBase(indexed, embedder)
        english = [
            "water leak from the flat upstairs",
            "how to cancel after selling my car",
            "windscreen repair invoice",
            "pharmacy receipt reimbursement",
        ]
        both.search(english[0], "en", 3)  # load the embedding model once
        hybrid = _latencies(lambda n: both.search(english[n % len(english)], "en", 3), queries)
    return build, *bm25, *hybrid


def _latencies(search, queries: int) -> tuple[float, float]:
    times = []
    for n in range(queries):
        started = time.perf_counter()
        search(n)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.mean(times), times[int(len(times) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny model, few rounds, 1,000 passages (smoke test)"
    )
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 when the overhead is above {MAX_OVERHEAD}x"
    )
    args = parser.parse_args()
    hidden, layers, rounds, tokens, count, queries = (
        (32, 2, 3, 8, 1000, 20) if args.quick else (512, 8, 7, 64, 10_000, 200)
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = tinymodels.build_llama(Path(scratch) / "model", hidden=hidden, layers=layers)
        raw, ours, batched, single = overhead_and_batching(folder, rounds, tokens)
    overhead = ours / raw
    print(
        f"model: random-weight Llama, hidden {hidden}, {layers} layers, {tokens} new tokens, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"raw model.generate (tokenise, generate, decode): {raw * 1000:8.1f} ms")
    print(f"rpa transformers draft (letter, prompt, guards): {ours * 1000:8.1f} ms")
    print(f"drafting overhead: {overhead:.3f}x (goal <= {MAX_OVERHEAD}x)")
    print(f"throughput, batch of 8 in one generate: {batched:6.2f} drafts/s")
    print(
        f"throughput, one by one:                 {single:6.2f} drafts/s "
        f"({batched / single:.2f}x from batching)"
    )
    build, bm25_mean, bm25_p95, hybrid_mean, hybrid_p95 = kb_latency(count, queries)
    print(f"knowledge base: {count} passages indexed in {build:.2f} s")
    print(f"search latency, BM25 (fr):            mean {bm25_mean:6.2f} ms, p95 {bm25_p95:6.2f} ms")
    print(f"search latency, BM25 + embeddings (en): mean {hybrid_mean:6.2f} ms, p95 {hybrid_p95:6.2f} ms")
    if args.check and overhead > MAX_OVERHEAD:
        print(f"FAIL: overhead {overhead:.3f}x above {MAX_OVERHEAD}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

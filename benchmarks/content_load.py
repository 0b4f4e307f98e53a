"""Benchmark: load + check + render a generated content tree.

    .venv/bin/python benchmarks/content_load.py [--n 1000] [--repeat 3] [--workers 1 2]

`--n` is the number of module FILES generated: n/2 module ids, each with a standard and an
easy-read file in French (an easy-read variant is a file of its own, parsed, checked and rendered
like the standard one). Each file has 4 parts, a glossary, an activity, a selfcheck and 5 questions
(single, multiple, truefalse, ordering, matching). The figures printed are files/s and module ids/s
over the whole `load_catalog` (parse, validate, cross-file checks, render, sanitise), in one
process and with `workers=2` (two processes parse the files), and the peak memory (tracemalloc
during one single-process load, and the max RSS of this process).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learn.modules import load_catalog  # noqa: E402

QUESTIONS = """
::: question q1 single
Sur le chantier, le chef d'équipe donne une consigne très vite. Que faites-vous ?
[ ] Vous faites comme d'habitude.
    > Le chantier a peut-être d'autres règles.
[x] Vous reformulez la consigne.
    > Oui : reformuler montre que vous écoutez.
[ ] Vous attendez.
    > Vous perdez du temps.
explanation: Reformuler est la façon la plus sûre de vérifier une consigne.
:::

::: question q2 multiple
Quels signes montrent qu'une personne [[écoute]] ?
[x] Elle reformule.
    > Oui.
[x] Elle pose une question.
    > Oui.
[ ] Elle regarde son téléphone.
    > Non : elle est distraite.
explanation: Reformuler et poser des questions montrent l'écoute.
:::

::: question q3 truefalse
Écouter, c'est seulement se taire.
[ ] Vrai
    > Non : écouter, c'est aussi vérifier qu'on a compris.
[x] Faux
    > Exact.
explanation: L'écoute active vérifie la compréhension.
:::

::: question q4 ordering
Remettez les étapes dans l'ordre.
[1] Écouter la consigne.
[2] Reformuler.
[3] Poser une question.
correct: Bravo.
incorrect: On écoute d'abord, puis on reformule, puis on demande.
explanation: L'ordre compte.
:::

::: question q5 matching
Associez chaque geste à son effet.
[=] Reformuler => Vérifier qu'on a compris.
[=] Poser une question => Obtenir une précision.
[=] Noter => Se souvenir.
correct: Bravo.
incorrect: Relisez la partie 2.
explanation: Chaque geste a son effet.
:::
"""

PART = """
## Partie {n} {{#partie-{n}}}

Vous arrivez sur un chantier d'espaces verts. Le chef d'équipe donne les consignes.
Vous **reformulez** la consigne à voix haute. Voir [la partie 1](#partie-1).

- Vous écoutez.
- Vous vérifiez avec une [[écoute]] attentive.

| Geste | Effet |
|---|---|
| Reformuler | Vérifier |
"""


def module_text(index: int, variant: str) -> str:
    """One generated module file."""
    parts = "".join(PART.format(n=n) for n in range(1, 5))
    return f"""---
id: bench-{index}
title: "Module de test {index}"
lang: fr
variant: {variant}
course: entrepreneurship
minutes: 15
objectives:
  - id: o1
    text: Expliquer ce qu'est l'écoute.
  - id: o2
    text: Reconnaître une personne qui écoute.
quiz:
  mode: practice
  pass: 4/5
---
{parts}
::: glossary
écoute: faire attention à ce que dit une personne.
:::

::: activity
Cette semaine, reformulez une consigne à voix haute.
:::

::: workshop ws-bench
Ce travail prépare votre projet.
[prompt mission] Quel problème votre projet veut-il résoudre ?
    > Pensez aux personnes concernées.
:::
{QUESTIONS}
::: selfcheck
[o1] Je peux expliquer ce qu'est l'écoute.
[o2] Je peux reconnaître une personne qui écoute.
:::
"""


def generate(root: Path, files: int) -> int:
    """Write the tree; returns the number of module ids."""
    ids = max(1, files // 2)
    folder = root / "entrepreneurship"
    folder.mkdir(parents=True)
    listed = ", ".join(f"bench-{i}" for i in range(ids))
    (folder / "course.yaml").write_text(
        f"id: entrepreneurship\ntitle: Bench\ndescription: Bench\nmodules: [{listed}]\n"
    )
    for i in range(ids):
        for variant in ("standard", "easy"):
            suffix = ".easy" if variant == "easy" else ""
            (folder / f"bench-{i}.fr{suffix}.md").write_text(module_text(i, variant))
    return ids


def main() -> None:
    """Generate, load `--repeat` times, print the best figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="module files (default 1000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        ids = generate(root, args.n)
        files = ids * 2
        timings = {}
        for workers in args.workers:
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                catalog = load_catalog(root, workers=workers)
                best = min(best, time.perf_counter() - start)
            timings[workers] = best
        tracemalloc.start()
        load_catalog(root)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    errors = sum(p.is_error for p in catalog.problems)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"files: {files} ({ids} module ids x 2 variants), errors: {errors}, cpus: {os.cpu_count()}"
    )
    for workers, best in timings.items():
        print(
            f"workers={workers}: load + validate + render {best:.2f} s (best of {args.repeat}): "
            f"{files / best:.0f} module files/s, {ids / best:.0f} module ids/s"
        )
    print(
        f"peak memory: {peak / 2**20:.1f} MiB traced during one load, max RSS {maxrss_mb:.0f} MiB"
    )


if __name__ == "__main__":
    main()

"""The walker: a journey walked as a goal, page by page, by recognising what each page is.

`snapshot.py` reads a page's controls in one round trip; the model layer (`harness.model.page_kinds`) says
what kind of page it is and what each field means; `plan.py` decides what the persona does there from their
profile and the target's data; `walk.py` does it through the journey's verbs (so every behaviour and probe
applies) until the goal, a blocker, or a page that does not move on.
"""

"""Plain-text line classifier: sequence smoothing, the shipped model's settings, rules, the bench's labels and
its command.  Every text here is invented for these tests."""

from __future__ import annotations

import json

import pytest

from storyline.clean import plaintext
from storyline.clean.plaintext import classify_lines, clean_lines, line_model, smooth_labels

# an invented news story (four sentences of prose)
STORY = [
    "The regional water board approved a plan on Thursday to replace the oldest pipes under the market "
    "district, a project it expects to finish within three years.",
    "Engineers told the board that more than a third of the water pumped into the district is lost to leaks "
    "before it reaches a tap, most of it from mains laid in the 1950s.",
    "\u201cWe have patched these pipes for as long as anyone here can remember,\u201d the board's chairwoman, "
    "Ilse Varga, said after the vote.",
    "Residents will be told about road closures at least two weeks before work starts on each street, the "
    "board said in a statement.",
]
# an invented masthead, menu, list of other stories and footer
MENU = ["Skip to content", "The Valley Courier", "Home", "Region", "Business", "Culture", "Sport", "Log in"]
ARCHIVE = ["More from the region", "Library extends its opening hours", "Bus route 7 changes from May",
           "School choir wins national prize", "New cycle lane opens on the river road", "Load more"]
FOOTER = ["About us", "Advertise", "Contact the newsroom", "Privacy settings", "\u00a9 2025 The Valley Courier"]


# ---------------------------------------------------------------------- smooth_labels


def test_smooth_labels_without_switch_cost_is_the_threshold():
    probs = [0.9, 0.2, 0.55, 0.49, 0.1]
    assert smooth_labels(probs, [True] * 5, 0.0, 0.5) == [1, 0, 1, 0, 0]
    assert smooth_labels(probs, [True] * 5, 0.0, 0.3) == [1, 0, 1, 1, 0]


def test_smooth_labels_joins_a_lone_line_to_its_run():
    # a hesitant body guess inside a run of menu items goes with the run; a sure one does not
    probs = [0.95, 0.9, 0.3, 0.9, 0.95, 0.05, 0.05, 0.05]
    assert smooth_labels(probs, [True] * 8, 3.0, 0.5) == [1, 1, 1, 1, 1, 0, 0, 0]
    sure = [0.95, 0.9, 0.001, 0.9, 0.95, 0.05, 0.05, 0.05]
    assert smooth_labels(sure, [True] * 8, 2.0, 0.5) == [1, 1, 0, 1, 1, 0, 0, 0]
    # two short boilerplate runs cut off by one sure body line: not worth two switches at a high cost
    assert smooth_labels(sure, [True] * 8, 3.0, 0.5) == [1, 1, 0, 0, 0, 0, 0, 0]
    # and a lone boilerplate guess inside prose goes with the prose
    assert smooth_labels([0.1, 0.1, 0.7, 0.1, 0.1], [True] * 5, 3.0, 0.5) == [0] * 5


def test_smooth_labels_lines_without_words_carry_no_evidence():
    # the blank line's probability is ignored: it takes the label of the run around it
    assert smooth_labels([0.9, 0.01, 0.9], [True, False, True], 1.0, 0.5) == [1, 1, 1]
    assert smooth_labels([0.1, 0.99, 0.1], [True, False, True], 1.0, 0.5) == [0, 0, 0]
    assert smooth_labels([], [], 2.0, 0.5) == []
    assert smooth_labels([0.7], [True], 2.0, 0.5) == [1]


# ---------------------------------------------------------------------- the shipped model


def _spec() -> dict:
    from importlib import resources

    return json.loads(resources.files("storyline").joinpath("data/clean/line_model.json").read_text("utf-8"))


def test_shipped_model_records_how_its_settings_were_chosen():
    model = line_model()
    assert model is not None and model.kind == "lexical+trees"
    spec = _spec()
    assert spec.get("switch_cost") == model.switch_cost
    assert 0.0 < model.threshold < 1.0 and 0.0 < model.smooth_threshold < 1.0
    trained = spec["trained_on"]
    assert trained["split"].startswith("train") and 0.5 < trained["cv_line_f1"] <= 1.0
    if model.switch_cost is not None:        # shipped only when cross-validation on train domains favoured it
        assert trained["cv_line_f1_smoothed"] > trained["cv_line_f1"]


def test_story_kept_and_page_furniture_removed_with_reasons():
    lines = MENU + ["Old pipes to be replaced under the market district"] + STORY + ARCHIVE + FOOTER
    labels = classify_lines(lines)
    assert len(labels) == len(lines)
    first = len(MENU) + 1
    assert [l.boilerplate for l in labels[first:first + len(STORY)]] == [False] * len(STORY)
    for i in list(range(len(MENU))) + list(range(first + len(STORY), len(lines))):
        assert labels[i].boilerplate and labels[i].reason, lines[i]
    kept, removed = clean_lines(lines)
    assert all(s in kept for s in STORY)
    assert {line for _, line, _ in removed} >= set(MENU + FOOTER)
    assert all(reason for _, _, reason in removed)


@pytest.fixture
def smoothing_model(monkeypatch):
    """The shipped model with a switch cost, whether or not the shipped one carries one."""
    model = plaintext.LexicalLineModel({**_spec(), "switch_cost": 4.0, "smooth_threshold": 0.44})
    monkeypatch.setattr(plaintext, "line_model", lambda: model)
    return model


def test_smoothing_switch_changes_only_model_decisions(smoothing_model):
    lines = MENU + STORY + ARCHIVE + FOOTER
    on = classify_lines(lines, smoothing=True)
    off = classify_lines(lines, smoothing=False)
    assert len(on) == len(off) == len(lines)
    for a, b in zip(on, off):
        model_decided = any((x.reason or "").startswith("line classifier") or not x.boilerplate for x in (a, b))
        if not model_decided:
            assert a.reason == b.reason            # rules decide the same way with or without smoothing
    assert [l.boilerplate for l in on[len(MENU):len(MENU) + len(STORY)]] == [False] * len(STORY)
    # the smoothed decisions are those of smooth_labels over the page's probabilities
    probs = smoothing_model.predict_page(lines)
    want = smooth_labels(probs, [True] * len(lines), 4.0, 0.44)
    for i, lab in enumerate(on):
        if (lab.reason or "").startswith("line classifier") or not lab.boilerplate:
            if not plaintext.is_prose(lines[i]):
                assert lab.boilerplate == bool(want[i]), lines[i]


def test_prose_needs_a_sure_model_even_inside_boilerplate_runs(smoothing_model):
    # a full sentence standing between menu blocks is not pulled into them by the smoothing
    sentence = ("The council said the new timetable would take effect on the first Monday of next month, "
                "after a consultation with local businesses.")
    lines = MENU + [sentence] + ARCHIVE + STORY + FOOTER
    lab = classify_lines(lines, smoothing=True)[len(MENU)]
    assert not lab.boilerplate or lab.score >= plaintext.PROSE_MODEL_THRESHOLD


# ---------------------------------------------------------------------- the line-sequence model


def _sequence_spec(hidden: int = 2, out_w: float = 0.0, skip_b: float = 0.0, threshold: float = 0.5) -> dict:
    """A hand-made LineSequenceModel: inputs standardised as they are, one tanh layer reading the trees'
    log-odds (the last column), GRU weights of 0.5, and an output of ``out_w`` per state on top of the trees'
    log-odds shifted by ``skip_b``."""
    d = len(plaintext.SEQUENCE_FEATURES)
    inp_w = [[0.0] * (d - 1) + [1.0] for _ in range(hidden)]
    gru = {"w_ih": [[0.5] * hidden for _ in range(3 * hidden)], "w_hh": [[0.5] * hidden for _ in range(3 * hidden)],
           "b_ih": [0.0] * (3 * hidden), "b_hh": [0.0] * (3 * hidden)}
    return {"features": plaintext.SEQUENCE_FEATURES, "threshold": threshold, "mean": [0.0] * d, "scale": [1.0] * d,
            "inp_w": inp_w, "inp_b": [0.0] * hidden, "fwd": gru, "bwd": gru, "out_w": [out_w] * (3 * hidden),
            "out_b": 0.0, "skip_w": 1.0, "skip_b": skip_b}


def test_gru_pass_follows_torch_gru():
    torch = pytest.importorskip("torch")
    import numpy as np

    torch.manual_seed(3)
    gru = torch.nn.GRU(5, 4, batch_first=True, bidirectional=True)
    x = torch.randn(1, 9, 5)
    want = gru(x)[0][0].detach().numpy()

    def arr(t):
        return t.detach().numpy().astype(float)

    xs = arr(x[0])
    fwd = plaintext.gru_pass(xs, arr(gru.weight_ih_l0), arr(gru.weight_hh_l0), arr(gru.bias_ih_l0),
                             arr(gru.bias_hh_l0))
    bwd = plaintext.gru_pass(xs[::-1], arr(gru.weight_ih_l0_reverse), arr(gru.weight_hh_l0_reverse),
                             arr(gru.bias_ih_l0_reverse), arr(gru.bias_hh_l0_reverse))[::-1]
    assert np.allclose(np.concatenate([fwd, bwd], axis=1), want, atol=1e-5)


def test_sequence_model_reads_the_lines_around_each_line():
    rows = [[0.0] * len(plaintext.FEATURES + plaintext.LEX_CONTEXT_FEATURES)] * 5
    # without an output weight it returns the trees' own probabilities
    same = plaintext.LineSequenceModel(_sequence_spec()).predict(rows, [0.2, 0.9, 0.5, 0.1, 0.7])
    assert same == pytest.approx([0.2, 0.9, 0.5, 0.1, 0.7])
    # with one, the middle line's probability moves with its neighbours' (its own stays 0.5)
    model = plaintext.LineSequenceModel(_sequence_spec(out_w=1.0))
    calm = model.predict(rows, [0.1, 0.1, 0.5, 0.1, 0.1])[2]
    busy = model.predict(rows, [0.9, 0.9, 0.5, 0.9, 0.9])[2]
    assert busy > calm + 0.1
    assert model.predict([], []) == []
    with pytest.raises(ValueError):
        plaintext.LineSequenceModel({**_sequence_spec(), "features": plaintext.FEATURES})


def test_classify_lines_uses_the_sequence_model_and_says_so(monkeypatch):
    # a sequence model that pushes every line towards boilerplate: the model's decisions follow it, with
    # the reason naming it; switched off, the trees alone keep the story
    pushy = plaintext.LineSequenceModel(_sequence_spec(skip_b=12.0))
    monkeypatch.setattr(plaintext, "line_sequence_model", lambda: pushy)
    lines = MENU + STORY + ARCHIVE + FOOTER
    on = classify_lines(lines, sequence=True)
    off = classify_lines(lines, sequence=False)
    story = slice(len(MENU), len(MENU) + len(STORY))
    assert [l.boilerplate for l in off[story]] == [False] * len(STORY)
    assert all(l.boilerplate for l in on[story])
    assert all("read with the lines around it" in (l.reason or "") for l in on[story])


def test_short_texts_use_rules_only():
    lines = ["Two workers were hurt when scaffolding fell on a street near the harbour on Friday morning.",
             "Share this article"]
    labels = classify_lines(lines)
    assert not labels[0].boilerplate
    assert labels[1].boilerplate and "model" not in (labels[1].reason or "")
    assert classify_lines([]) == []


def test_odd_input_does_not_crash():
    lines = ["", "   ", "\u00d7", "....", "x" * 5000, "12:30", "\u200b", "Ok"] * 3
    labels = classify_lines(lines)
    assert len(labels) == len(lines)
    assert all(l.boilerplate for l, s in zip(labels, lines) if not s.strip())


# ---------------------------------------------------------------------- the bench


def test_bench_labels_follow_the_gold_order():
    from storyline.bench.plaintext import label_lines

    gold = "\n".join(["Pipes under the market", *STORY])
    lines = ["Home", "Pipes under the market", *STORY[:2], "Advertisement", *STORY[2:], "Pipes under the market"]
    labels = label_lines(lines, gold)
    assert labels[0] is True and labels[4] is True           # menu word and advert line
    assert labels[1] is False and labels[-1] is True         # the repeated heading counts once, where it stands
    assert labels[2:4] == [False, False] and labels[5:7] == [False, False]
    assert label_lines(["", "--"], gold) == [None, None]


def test_bench_command_rejects_unknown_labels_and_skips_unknown_layouts(tmp_path, capsys):
    from storyline.bench.plaintext import command

    opts = dict(as_json=True, limit=None, split="test", outlet_memory=False, no_smoothing=False, no_sequence=False)
    with pytest.raises(SystemExit) as bad:
        command(data=tmp_path, labels="nonsense", **opts)
    assert bad.value.code == 2
    assert "nonsense" in json.loads(capsys.readouterr().out)["error"]
    # a folder in neither benchmark layout: a clean skip naming it, exit 0
    with pytest.raises(SystemExit) as empty:
        command(data=tmp_path, labels="align", **opts)
    assert empty.value.code == 0
    assert str(tmp_path) in json.loads(capsys.readouterr().out)["skipped"]

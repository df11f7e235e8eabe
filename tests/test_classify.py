"""Tests for the learned event-type classifier (storyline.events.classify) and its bench options.

Moved here from tests/test_events.py (session 3).  The torch-free tests always run; the fine-tuning
tests skip when torch/MiniLM are absent (that path is optional).  All sentences are invented.
"""

from __future__ import annotations

import json

import pytest


# ==========================================================================
# classifier tests, session 2: fine-tuned MiniLM path and the ensemble (events/classify.py).
# The torch-free tests always run; the fine-tuning test skips when torch/MiniLM are absent.


def test_ft_marked_text_uses_reserved_word_pieces():
    from storyline.events.classify import FT_MARKS, ft_marked_text

    out = ft_marked_text("<s>Chile</s> warned <t>Peru's navy</t>.")
    assert out == f"{FT_MARKS[0]} Chile {FT_MARKS[1]} warned {FT_MARKS[2]} Peru's navy {FT_MARKS[3]} ."
    assert ft_marked_text("no marks at all") == "no marks at all"


def test_ft_cache_path_follows_the_environment(monkeypatch, tmp_path):
    from storyline.events import classify as C

    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    assert C.ft_cache_path() == tmp_path / "events" / "minilm_ft.pt"
    assert C.load_finetuned() is None  # nothing trained there


def test_ensemble_averages_probabilities_in_class_order():
    import numpy as np

    from storyline.events import classify as C

    light = C.load("light")
    rows = [C.Row("1", "1", "<s>Chile</s> accused <t>Peru</t> of spying on its navy."),
            C.Row("2", "2", "<s>Chile</s> imposed sanctions on <t>Peru</t> over the dispute.")]
    feats = C.featurize(rows)
    classes = sorted(light.clf.classes_, reverse=True)   # a different order than the model's
    pl = C.light_proba(light, feats, classes)
    assert pl.shape == (2, len(classes)) and np.allclose(pl.sum(1), 1.0)
    assert classes[int(pl[0].argmax())] == "ACCUSE"
    # a (given) fine-tuned model's probabilities: certain of AID for both rows
    pf = np.zeros((2, len(classes)))
    pf[:, classes.index("AID")] = 1.0
    ft = C.FineTuned(classes=classes, config={})
    ens = C.Ensemble(light, ft, weight=0.5)
    p = ens.predict_proba(feats, [r.marked for r in rows], ft_proba=pf)
    assert np.allclose(p, 0.5 * pf + 0.5 * pl)
    assert ens.predict(feats, [r.marked for r in rows], ft_proba=pf) == ["AID", "AID"]
    # a weight of zero leaves the light model's decision
    ens0 = C.Ensemble(light, ft, weight=0.0)
    assert ens0.predict(feats, [r.marked for r in rows], ft_proba=pf) == [classes[int(i)] for i in pl.argmax(1)]


def test_minilm_ft_falls_back_to_light_without_a_cached_model(monkeypatch, tmp_path):
    from storyline.events import classify as C
    from storyline.events import refine

    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("STORYLINE_EVENT_CLASSIFIER", "minilm-ft")
    refine._shipped_model.cache_clear()
    try:
        m = refine.current_model()
        assert isinstance(m, C.Model) and m.kind == "light"
    finally:
        refine._shipped_model.cache_clear()


def test_bench_events_rejects_unknown_model_and_missing_ft_cache(monkeypatch, tmp_path, capsys):
    import typer

    from storyline.bench import events as B
    from storyline.events import classify as C

    p = tmp_path / "plv.tsv"
    p.write_text("uid\tsentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_penta\tgold_root\n"
                 "1\t7\tChile thanked Peru.\t<s>Chile</s> thanked <t>Peru</t>.\tChile\tPeru\t1\tSUPPORT\n")
    with pytest.raises(typer.BadParameter):
        B.command(data=p, as_json=True, cv=None, predictions=None, model="bert", limit=None, with_pipeline=False, jobs=1)
    if not C.ft_available():
        pytest.skip("torch/MiniLM not installed: the minilm-ft path is optional")
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path / "empty"))
    with pytest.raises(SystemExit) as exc:
        B.command(data=p, as_json=True, cv=None, predictions=None, model="minilm-ft", limit=None,
                  with_pipeline=False)
    assert exc.value.code == 2
    assert "scripts/train_events.py --model minilm-ft" in json.loads(capsys.readouterr().out)["error"]


def test_finetune_predict_save_and_load_round_trip(monkeypatch, tmp_path):
    import numpy as np

    from storyline.events import classify as C

    if not C.ft_available():
        pytest.skip("torch/MiniLM not installed: the minilm-ft path is optional")
    marked = ["<s>Chile</s> bombed <t>Peru</t>'s border posts.", "<s>Chile</s> shelled <t>Peru</t>'s ports.",
              "<s>Chile</s> praised <t>Peru</t>'s new president.", "<s>Chile</s> thanked <t>Peru</t> warmly.",
              "Talks went on all night."]                  # a row without marks is still coded
    labels = ["ASSAULT", "ASSAULT", "SUPPORT", "SUPPORT", "SUPPORT"]
    ft = C.finetune(marked, labels, config={"epochs": 2, "max_len": 32, "batch_size": 4})
    assert ft.classes == ["ASSAULT", "SUPPORT"]
    # the head reads the vectors at the <s> and <t> marks (the [CLS] vector when unmarked)
    ids, att, ps, pt = ft._batch([C.ft_marked_text(m) for m in marked[:1] + marked[-1:]])
    s_id, t_id = ft.tok.convert_tokens_to_ids([C.FT_MARKS[0], C.FT_MARKS[2]])
    assert int(ids[0, ps[0]]) == s_id and int(ids[0, pt[0]]) == t_id and int(ps[1]) == 0 == int(pt[1])
    p = ft.predict_proba(marked)
    assert p.shape == (5, 2) and np.allclose(p.sum(1), 1.0, atol=1e-5)
    dest = tmp_path / "events" / "minilm_ft.pt"
    ft.save(dest)
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    again = C.load_finetuned()
    assert again is not None and again.classes == ft.classes
    assert np.allclose(again.predict_proba(marked), p, atol=1e-5)


# ==========================================================================
# session 3: a bag of seeds (shared frozen bottom), class-weighted and label-smoothed loss


_MARKED = ["<s>Chile</s> bombed <t>Peru</t>'s border posts.", "<s>Chile</s> shelled <t>Peru</t>'s ports.",
           "<s>Chile</s> praised <t>Peru</t>'s new president.", "<s>Chile</s> thanked <t>Peru</t> warmly.",
           "<s>Chile</s> applauded <t>Peru</t>'s court.", "Talks went on all night."]
_LABELS = ["ASSAULT", "ASSAULT", "SUPPORT", "SUPPORT", "SUPPORT", "SUPPORT"]
_SMALL = {"epochs": 2, "max_len": 32, "batch_size": 3}


def test_bag_of_seeds_shares_the_frozen_bottom_and_averages(monkeypatch, tmp_path):
    import numpy as np

    from storyline.events import classify as C

    if not C.ft_available():
        pytest.skip("torch/MiniLM not installed: the minilm-ft path is optional")
    bag = C.finetune_bag(_MARKED, _LABELS, config=dict(_SMALL, seeds=2, train_layers=2))
    assert len(bag.members) == 2 and bag.classes == ["ASSAULT", "SUPPORT"]
    assert [m.config["seed"] for m in bag.members] == [C.FT_CONFIG["seed"], C.FT_CONFIG["seed"] + 1]
    assert bag._cut() == 4  # the bottom 4 of 6 layers are run once for both members
    # the seeds give different top layers ...
    p0 = bag.members[0].predict_proba(_MARKED)
    p1 = bag.members[1].predict_proba(_MARKED)
    assert not np.allclose(p0, p1)
    # ... and the shared-bottom coding equals each member's own end-to-end coding
    shared = bag.member_proba(_MARKED)
    assert np.allclose(shared[0], p0, atol=1e-5) and np.allclose(shared[1], p1, atol=1e-5)
    assert np.allclose(bag.predict_proba(_MARKED), (p0 + p1) / 2, atol=1e-5)
    assert bag.predict(_MARKED) == [bag.classes[i] for i in ((p0 + p1) / 2).argmax(1)]
    # save / load keeps both members
    dest = tmp_path / "events" / "minilm_ft.pt"
    bag.save(dest)
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    again = C.load_finetuned()
    assert isinstance(again, C.FineTunedBag) and len(again.members) == 2
    assert np.allclose(again.predict_proba(_MARKED), bag.predict_proba(_MARKED), atol=1e-5)
    # an ensemble with the light model takes the bag like a single fine-tuned model
    light = C.load("light")
    rows = [C.Row(str(i), str(i), m) for i, m in enumerate(_MARKED[:2])]
    ens = C.Ensemble(light, again, weight=1.0)
    assert ens.predict(C.featurize(rows), _MARKED[:2]) == again.predict(_MARKED[:2])


def test_loss_options_change_training(monkeypatch):
    """class_weight_power and label_smoothing reach the loss: same seed, different fitted models."""
    import numpy as np

    from storyline.events import classify as C

    if not C.ft_available():
        pytest.skip("torch/MiniLM not installed: the minilm-ft path is optional")
    base = dict(_SMALL, seeds=1, class_weight_power=0.0, label_smoothing=0.0)
    p_plain = C.finetune(_MARKED, _LABELS, config=base).predict_proba(_MARKED)
    again = C.finetune(_MARKED, _LABELS, config=base).predict_proba(_MARKED)
    assert np.allclose(p_plain, again, atol=1e-6)  # deterministic for a seed
    p_w = C.finetune(_MARKED, _LABELS, config=dict(base, class_weight_power=1.0)).predict_proba(_MARKED)
    assert not np.allclose(p_plain, p_w, atol=1e-6)
    # weighting the rare ASSAULT class up raises its probability
    assert p_w[:, 0].mean() > p_plain[:, 0].mean()
    p_s = C.finetune(_MARKED, _LABELS, config=dict(base, label_smoothing=0.3)).predict_proba(_MARKED)
    # smoothing keeps the predictions further from certainty
    assert p_s.max(1).mean() < p_plain.max(1).mean()


# ==========================================================================
# session 4: the ensemble weight chosen on an inner split, layer-wise learning rates


def test_choose_ensemble_weight_picks_best_macro_f1_then_nearest_default():
    import numpy as np

    from storyline.events import classify as C

    classes = ["AID", "SANCTION"]
    gold = ["AID", "SANCTION", "AID", "SANCTION"]
    right = np.array([[0.6, 0.4], [0.4, 0.6], [0.6, 0.4], [0.4, 0.6]])   # mildly sure and right
    wrong = 1.0 - np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])  # sure and wrong
    # only weights above 5/6 on the right model get every row: 0.9 and 1.0 tie, 0.9 is nearer the default
    w, scores = C.choose_ensemble_weight(right, wrong, gold, classes)
    assert w == 0.9
    assert scores["0.9"][0] == 1.0 and scores["0.8"][0] < 1.0
    # two models that agree: every weight ties, the a-priori default is kept
    w, _ = C.choose_ensemble_weight(right, right, gold, classes)
    assert w == C.ENSEMBLE_WEIGHT


def test_ensemble_weight_comes_from_the_fine_tuned_model_config():
    from storyline.events import classify as C

    light = C.load("light")
    assert C.Ensemble(light, C.FineTuned(classes=["AID"], config={"ensemble_weight": 0.8})).weight == 0.8
    assert C.Ensemble(light, C.FineTuned(classes=["AID"], config={})).weight == C.ENSEMBLE_WEIGHT
    assert C.Ensemble(light, C.FineTuned(classes=["AID"], config={"ensemble_weight": 0.8}), weight=0.3).weight == 0.3


def test_inner_split_keeps_sentence_groups_together():
    from storyline.events import classify as C

    groups = [str(i // 3) for i in range(30)]          # 10 sentences, 3 pairs each
    labels = ["AID", "ACCUSE", "AGREE"] * 10
    tr, dev = C.inner_split(labels, groups)
    assert sorted(tr + dev) == list(range(30)) and not set(tr) & set(dev)
    assert not {groups[i] for i in tr} & {groups[i] for i in dev}
    assert 3 <= len(dev) <= 9


def test_layer_lr_decay_gives_lower_rates_to_lower_layers():
    from storyline.events import classify as C

    if not C.ft_available():
        pytest.skip("torch/MiniLM not installed: the minilm-ft path is optional")
    net = C._ft_module(3, 0.1)
    for layer in net.enc.encoder.layer[:2]:              # the bottom two layers frozen
        for q in layer.parameters():
            q.requires_grad_(False)
    for q in net.enc.embeddings.parameters():
        q.requires_grad_(False)
    groups = C._param_groups(net, 1e-4, 0.5)
    rate = {id(q): g["lr"] for g in groups for q in g["params"]}
    trainable = [q for q in net.parameters() if q.requires_grad]
    assert len(rate) == len(trainable) == sum(len(g["params"]) for g in groups)   # each once
    layers = net.enc.encoder.layer
    assert rate[id(next(net.head.parameters()))] == 1e-4
    assert rate[id(next(layers[5].parameters()))] == 1e-4
    assert abs(rate[id(next(layers[2].parameters()))] - 1e-4 * 0.5 ** 3) < 1e-12
    assert id(next(layers[1].parameters())) not in rate                       # frozen: not optimised
    flat = C._param_groups(net, 1e-4, 1.0)
    assert {g["lr"] for g in flat} == {1e-4}


def test_inner_ensemble_weight_uses_only_the_given_rows():
    from storyline.events import classify as C

    if not C.ft_available():
        pytest.skip("torch/MiniLM not installed: the minilm-ft path is optional")
    nations = ["Chile", "Peru", "Ghana", "Nepal", "Fiji", "Oman", "Laos", "Chad", "Mali", "Cuba"]
    marked, labels, groups = [], [], []
    for i, a in enumerate(nations):
        b = nations[(i + 3) % len(nations)]
        marked += [f"<s>{a}</s> shelled <t>{b}</t>'s border towns.", f"<s>{a}</s> sent grain to <t>{b}</t>."]
        labels += ["ASSAULT", "AID"]
        groups += [f"g{i}a", f"g{i}b"]
    feats = C.featurize([C.Row(str(i), g, m) for i, (m, g) in enumerate(zip(marked, groups))])
    w, info = C.inner_ensemble_weight(marked, labels, groups, feats, config={"epochs": 1, "max_len": 32})
    assert w in C.ENSEMBLE_WEIGHT_GRID
    assert info["inner_train"] + info["inner_dev"] == len(marked) and info["inner_dev"] == 4

"""The offline planner turns a method's own words into a valid, connected diagram spec."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adapters.keyword_diagram_retriever import KeywordDiagramRetriever
from adapters.method_phrases import acronyms
from adapters.method_text import clean, has_cjk, parse, singular
from adapters.offline_diagram_planner import OfflineDiagramPlanner
from application.diagrams.ports import DiagramTextError
from application.diagrams.spec import MAX_LABEL_WORDS, validate

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "diagram-dev.json"

TRANSFORMER = (
    "Input tokens are first mapped to an input embedding, to which a positional encoding is "
    "added. The result is fed into a stack of N = 6 identical encoder layers; each layer has a "
    "multi-head self-attention sublayer followed by a position-wise feed-forward network, and "
    "every sublayer is wrapped by a residual connection and layer normalization. The last "
    "encoder layer returns the output representations of the sequence.")
TRANSFORMER_CAPTION = "Figure 1: Transformer encoder architecture"
CHINESE = "首先，编码器将输入图像映射为特征，然后解码器生成分割掩码。"
LOOP = (
    "The planner agent reads the user query and writes a plan. The executor agent calls external "
    "tools for each step of the plan. A critic model checks the tool results and returns feedback "
    "to the planner agent, which refines the plan until the critic accepts it. Finally the "
    "executor agent returns the answer.")
TRAIN_INFERENCE = (
    "During training, a teacher network produces soft labels for each input image and the "
    "student network is optimized with a distillation loss against them. At inference, the "
    "student network alone processes the input image and outputs the class prediction.")
ENUMERATION = (
    "Our framework consists of three modules: a Feature Extractor, a Graph Reasoner and an "
    "Answer Decoder. The question passes through these modules in turn, and the answer decoder "
    "produces the final answer.")


def plan(text: str, caption: str = "") -> dict[str, Any]:
    references = KeywordDiagramRetriever().retrieve(text, caption)
    spec = OfflineDiagramPlanner().plan(text, caption, references)
    assert validate(spec) == []
    return spec


def labels(spec: dict[str, Any]) -> list[str]:
    return [n["label"].lower() for n in spec["nodes"]]


def arrows(spec: dict[str, Any], lower: bool = False) -> list[tuple[str, str, str]]:
    """(source label, target label, kind) of each edge, in the spec's order."""
    by_id = {n["id"]: n["label"].lower() if lower else n["label"] for n in spec["nodes"]}
    return [(by_id[e["source"]], by_id[e["target"]], e["kind"]) for e in spec["edges"]]


def pairs(spec: dict[str, Any], lower: bool = False) -> set[tuple[str, str]]:
    """(source label, target label) of every edge, whatever its kind."""
    return {(a, b) for a, b, _ in arrows(spec, lower)}


def dangling(spec: dict[str, Any]) -> list[str]:
    touched = {e[end] for e in spec["edges"] for end in ("source", "target")}
    return [n["label"] for n in spec["nodes"] if n["id"] not in touched]


def connected(spec: dict[str, Any]) -> bool:
    seen, todo = set(), [spec["nodes"][0]["id"]]
    while todo:
        current = todo.pop()
        seen.add(current)
        todo += [e[b] for e in spec["edges"] for a, b in (("source", "target"),
                                                           ("target", "source"))
                 if e[a] == current and e[b] not in seen]
    return seen == {n["id"] for n in spec["nodes"]}


def test_transformer_encoder_gives_its_layer_repeated_six_times_around_its_sublayers() -> None:
    spec = plan(TRANSFORMER, TRANSFORMER_CAPTION)
    found = labels(spec)
    assert any("embedding" in label for label in found)
    groups = {g["id"]: g["label"] for g in spec["groups"]}
    inside = {n["label"].lower(): groups.get(n["group"]) for n in spec["nodes"]}
    # "each layer has a multi-head self-attention sublayer followed by ...": the layer is the
    # group around its sublayers, marked x6, not a box beside them
    assert list(groups.values()) == ["Encoder Layer (×6)"]
    parts = [label for label, g in inside.items() if g]
    assert any("multi-head" in p and "attention" in p for p in parts)
    assert any("feed-forward" in p for p in parts) and "encoder layer" not in inside
    flow = [(a, b) for a, b, _ in arrows(spec, lower=True)]
    assert ("positional encoding", "multi-head self-attention") in flow  # into the first part
    assert all(e["kind"] == "data" for e in spec["edges"])
    assert dangling(spec) == [] and connected(spec)
    assert spec["nodes"][0]["role"] == "input"


def test_a_repeated_block_without_parts_is_one_box_marked_with_its_count() -> None:
    spec = plan("The input image is encoded by a stack of 4 identical encoder layers. The last "
                "encoder layer feeds the classifier head, which outputs the class scores.")
    stacked = [n for n in spec["nodes"] if n["repeat"] == 4]
    assert [n["label"].lower() for n in stacked] == ["encoder layer"]


def test_chinese_text_gives_input_encoder_decoder_mask_in_order() -> None:
    spec = plan(CHINESE)
    flow = sorted((a, b) for a, b, _ in arrows(spec))
    assert flow == sorted([("输入图像", "编码器"), ("编码器", "解码器"), ("解码器", "分割掩码")])
    assert [n["label"] for n in spec["nodes"]] == ["输入图像", "编码器", "解码器", "分割掩码"]
    assert spec["nodes"][0]["role"] == "input" and spec["nodes"][-1]["role"] == "output"


def test_chinese_verbs_of_flow_give_two_branches_fused_before_the_decoder() -> None:
    spec = plan("首先，文本编码器将用户指令编码为文本特征。然后，视觉编码器从输入图像中提取视觉特征。"
                "接着，融合模块将文本特征和视觉特征融合。最后，解码器生成回答。")
    assert set(arrows(spec)) == {
        ("用户指令", "文本编码器", "data"), ("文本编码器", "文本特征", "data"),
        ("输入图像", "视觉编码器", "data"), ("视觉编码器", "视觉特征", "data"),
        ("文本特征", "融合模块", "data"), ("视觉特征", "融合模块", "data"),
        ("融合模块", "解码器", "data"), ("解码器", "回答", "data")}


def test_a_loop_gives_a_feedback_edge_back_to_the_planner() -> None:
    spec = plan(LOOP)
    by_id = {n["id"]: n["label"] for n in spec["nodes"]}
    feedback = [e for e in spec["edges"] if e["kind"] == "feedback"]
    assert feedback and all(by_id[e["target"]] == "Planner Agent" for e in feedback)
    assert {"Planner Agent", "Executor Agent", "Critic Model"} <= set(by_id.values())
    assert dangling(spec) == [] and connected(spec)


def test_what_the_text_says_passes_along_an_arrow_labels_it() -> None:
    spec = plan("The user sends a task to the planner agent. The planner agent writes steps for "
                "the solver agent. The solver agent iteratively returns its scores to the "
                "planner agent until the steps are done. The solver agent outputs the answer.")
    by_id = {n["id"]: n["label"] for n in spec["nodes"]}
    labelled = {(by_id[e["source"]], by_id[e["target"]], e["kind"]): e["label"]
                for e in spec["edges"] if e["label"]}
    assert labelled == {("User", "Planner Agent", "data"): "task",
                        ("Solver Agent", "Planner Agent", "feedback"): "scores"}


GUIDED = (
    "The paraphraser LLM reads the AI-generated text and the system instructions. At each "
    "step it proposes a set of candidate text tokens. The guidance detector assigns AIscores "
    "to texts. {scoring} The token with the best AI-score is appended to the humanized text, "
    "which is returned at the end.")
GUIDED_CAPTION = ("Overview. We keep the token with the best AI-score among the candidate tokens "
                  "sampled by the paraphraser LLM.")


def test_a_part_called_by_its_telling_word_flows_where_the_text_says() -> None:
    scoring = ("We score each candidate by appending it to the output and reading it with the "
               "detector.")
    spec = plan(GUIDED.format(scoring=scoring), GUIDED_CAPTION)
    flow = pairs(spec, lower=True)
    assert {("paraphraser llm", "candidate text tokens"),
            ("candidate text tokens", "guidance detector"),
            ("guidance detector", "ai-score")} <= flow, flow
    assert ("candidate text tokens", "ai-score") not in flow  # it goes through the detector
    assert labels(spec).count("ai-score") == 1  # the AIscores are the AI-scores


def test_what_is_scored_from_a_model_goes_into_it() -> None:
    spec = plan(GUIDED.format(scoring="Score the candidates from the detector."), GUIDED_CAPTION)
    assert ("candidate text tokens", "guidance detector", "data") in arrows(spec, lower=True)


def test_a_caption_that_counts_its_parts_says_what_the_figure_holds() -> None:
    text = ("We propose SwiftRouter, a training-free routing strategy. Given an input question, "
            "the small model (SLM) glimpses the first token of each step, and we compute its "
            "initial token entropy. SwiftRouter checks the initial token entropy against a "
            "threshold. The large model (LLM) writes hard steps and the final answer, and the "
            "small model writes routine steps. A KV cache keeps the context of both models. "
            "The prefix caching mechanism keeps switching cheap. The KV cache is shared.")
    caption = ("Overview of SwiftRouter. The framework coordinates three layers: LLM (generates "
               "hard steps and final answers), SwiftRouter (entropy-based routing checking "
               "initial token entropy H_init), and SLM (generates first tokens). High H_init "
               "routes to LLM; low H_init stays with SLM.")
    spec = plan(text, caption)
    found = labels(spec)
    assert {"swiftrouter", "llm", "slm", "token entropy"} <= set(found)
    assert "kv cache" not in found and "prefix caching mechanism" not in found
    flow = pairs(spec, lower=True)
    assert {("token entropy", "swiftrouter"), ("swiftrouter", "llm"),
            ("swiftrouter", "slm")} <= flow, flow
    assert ("llm", "swiftrouter") not in flow  # a list in parentheses ends with them
    by_id = {n["id"]: n["label"] for n in spec["nodes"]}
    assert {by_id[e["target"]]: e["label"] for e in spec["edges"]
            if by_id[e["source"]] == "SwiftRouter"} == {"LLM": "high", "SLM": "low"}


COMPARED_TEXT = (
    "We compare two decoding modes. In AR order the model resolves the left-most token at "
    "each step, so it meets the forking tokens as they come. Arbitrary order selects easy "
    "tokens first and defers the forking tokens, which narrows the reasoning potential.")


def test_a_caption_comparing_approaches_gives_one_panel_each_in_the_texts_words() -> None:
    spec = plan(COMPARED_TEXT, "Confronting vs. bypassing uncertainty. (a) AR Order confronts "
                "uncertain (forking) tokens sequentially. (b) Arbitrary Order bypasses uncertain "
                "tokens, which limits reasoning potential.")
    assert [g["label"] for g in spec["groups"]] == ["(a)", "(b)"]
    by_id = {n["id"]: n for n in spec["nodes"]}
    drawn = [(by_id[e["source"]]["label"], e["label"], by_id[e["target"]]["label"],
              by_id[e["source"]]["group"]) for e in spec["edges"]]
    assert drawn == [("AR Order", "confronts sequentially", "Forking Tokens", "g1"),
                     ("Arbitrary Order", "bypasses", "Forking Tokens", "g2"),
                     ("Forking Tokens", "limits", "Reasoning Potential", "g2")]


def test_a_caption_that_compares_in_words_the_text_lacks_is_planned_as_usual() -> None:
    spec = plan(COMPARED_TEXT, "Greedy vs. beam search. (a) Greedy search picks one token. "
                "(b) Beam search keeps several beams.")
    assert [g["label"] for g in spec["groups"]] != ["(a)", "(b)"]
    assert "forking tokens" in labels(spec)


def test_a_product_named_by_a_parts_act_comes_from_that_part() -> None:
    spec = plan("Our method turns AI-generated text into translated text that no detector "
                "flags. The translator model reads the AI-generated text and the style prompt. "
                "The judge model then checks the translated text and returns a score.")
    flow = pairs(spec, lower=True)
    assert {("ai-generated text", "translator model"), ("translator model", "translated text"),
            ("translated text", "judge model")} <= flow, flow
    spec = plan("First, the speech recognizer transcribes the input audio into a transcript. "
                "Then, the translation model translates the transcript into the target "
                "language. Finally, the speech "
                "synthesizer converts the translated text into output speech.")
    assert ("translation model", "translated text", "data") in arrows(spec, lower=True)


def test_distillation_draws_what_each_model_and_each_loss_takes() -> None:
    spec = plan("A large teacher model and a small student model both receive the same input "
                "batch. The teacher produces soft targets, and the student produces "
                "predictions. The distillation loss compares the predictions with the soft "
                "targets, and the cross-entropy loss compares them with the ground-truth "
                "labels. Only the student is updated.")
    assert {n["label"]: n["role"] for n in spec["nodes"]}["Student"] == "model"
    assert set(arrows(spec, lower=True)) == {
        ("input batch", "large teacher model", "data"), ("input batch", "student", "data"),
        ("large teacher model", "soft targets", "data"), ("student", "predictions", "data"),
        ("predictions", "distillation loss", "data"), ("soft targets", "distillation loss", "data"),
        ("predictions", "cross-entropy loss", "data"),
        ("ground-truth labels", "cross-entropy loss", "data"),
        ("distillation loss", "student", "feedback")}


def test_a_retriever_searches_its_index_with_the_query_vector() -> None:
    spec = plan("Given a user question, the query encoder embeds the question into a query "
                "vector. The retriever searches the document index with the query vector and "
                "returns the top-k passages. The generator LLM reads the question together "
                "with the top-k passages and produces the final answer.")
    flow = pairs(spec, lower=True)
    assert {("query vector", "retriever"), ("document index", "retriever"),
            ("retriever", "top-k passages")} <= flow, flow
    assert not any(b == "document index" for _, b in flow)  # a store read from is not fed


def test_a_second_verb_after_and_has_the_sentences_subject() -> None:
    spec = plan("Given a query, the dense retriever encodes it with a BERT encoder and searches "
                "a FAISS index of passage embeddings. The reader model reads the passages and "
                "writes the answer.")
    flow = pairs(spec, lower=True)
    assert ("faiss index", "bert encoder") not in flow
    assert ("faiss index", "dense retriever") in flow, flow


def test_a_vae_samples_its_latent_code_from_the_posterior_the_encoder_maps_to() -> None:
    spec = plan("The encoder maps the input x to the mean and variance of a Gaussian posterior. "
                "A latent code z is sampled from the posterior with the reparameterization trick. "
                "The decoder reconstructs the input from z. The training objective combines the "
                "reconstruction loss and the KL divergence between the posterior and the prior.")
    flow = pairs(spec, lower=True)
    assert {("encoder", "posterior"), ("posterior", "latent code"),
            ("reparameterization trick", "latent code"), ("posterior", "kl divergence"),
            ("kl divergence", "training objective")} <= flow, flow
    assert ("posterior", "encoder") not in flow


def test_what_is_used_to_update_a_part_feeds_back_into_it() -> None:
    spec = plan("The agent observes the state of the environment. The policy network maps the "
                "state to an action. The environment returns a reward and the next state to "
                "the agent. The value network estimates the expected return, which is used to "
                "update the policy network.")
    assert ("expected return", "policy network", "feedback") in arrows(spec, lower=True)


def test_an_answer_a_critic_reads_is_a_draft_between_them_not_the_output() -> None:
    spec = plan("The LLM generates a draft answer for the question. A critic model scores the "
                "draft and writes feedback. The LLM revises the draft using the feedback, and "
                "this loop repeats until the critic accepts the answer.")
    assert labels(spec) == ["llm", "draft", "critic model"]
    assert {n["label"]: n["role"] for n in spec["nodes"]}["Draft"] == "data"
    drawn = set(arrows(spec, lower=True))
    assert {("llm", "draft", "data"), ("draft", "critic model", "data"),
            ("critic model", "llm", "feedback")} <= drawn, drawn


def test_skip_connections_pass_the_encoder_features_to_the_decoder_blocks() -> None:
    spec = plan("The encoder downsamples the input image through four convolution blocks. The "
                "bottleneck processes the coarsest features. The decoder upsamples the features "
                "through four blocks, and skip connections pass the encoder features to the "
                "matching decoder blocks. A 1x1 convolution outputs the segmentation mask.")
    flow = pairs(spec, lower=True)
    assert ("encoder features", "matching decoder blocks") in flow, flow


def test_what_a_loss_compares_it_with_is_what_was_named_before_the_loss() -> None:
    spec = plan("An MLP maps each point to a color and a density. Volume rendering integrates "
                "the densities along the ray into the pixel estimate, and the photometric loss "
                "compares it with the ground-truth pixel.")
    assert ("pixel estimate", "photometric loss", "data") in arrows(spec, lower=True)


def test_a_subject_that_is_acted_upon_is_data_not_a_component() -> None:
    spec = plan("The planner agent drafts a summary for the user. The final report is returned "
                "to the user.")
    assert {n["label"]: n["role"] for n in spec["nodes"]}.get("Report") in (None, "data")


def test_a_stated_flow_and_the_loop_back_along_it_are_both_drawn() -> None:
    spec = plan("The user query goes to the proposer agent. The proposer agent writes tasks for "
                "the solver agent. The solver agent iteratively returns its scores to the "
                "proposer agent until the tasks are hard. The solver agent outputs the answer.")
    flow = set(arrows(spec))
    assert ("Proposer Agent", "Solver Agent", "data") in flow
    assert ("Solver Agent", "Proposer Agent", "feedback") in flow


MIXER_FLOW = ["input image", "patch tokenizer", "token mixer", "class scores"]


@pytest.mark.parametrize(("text", "expected"), [
    # a passive stated late: "is fed by"
    ("The Fusion Module outputs the class scores. The Fusion Module is fed by the Image Encoder. "
     "The Image Encoder processes the input image.",
     ["input image", "image encoder", "fusion module", "class scores"]),
    # a sentence carrying the flow on from the one before
    ("The Token Mixer outputs the class scores. The Patch Tokenizer reads the input image. "
     "These features are then fed into the Token Mixer.",
     MIXER_FLOW),
    # "A is given to the B"
    ("The Token Mixer outputs the class scores. The input image goes into the Patch Tokenizer. "
     "The Patch Tokenizer is given to the Token Mixer.",
     MIXER_FLOW),
    # "After A, the B ..."
    ("The Token Mixer outputs the class scores. After the Patch Tokenizer, the Token Mixer "
     "mixes. The input image goes into the Patch Tokenizer.",
     MIXER_FLOW),
    # "After the A process, a B ..."
    ("The Token Mixer outputs the class scores. After the Patch Tokenizer process, a Token "
     "Mixer mixes. The input image goes into the Patch Tokenizer.",
     MIXER_FLOW),
    # "A from somewhere to create B"
    ("The Token Mixer outputs the class scores. The input image feeds the Patch Tokenizer. "
     "We take the Patch Tokenizer from the web to create the Token Mixer.",
     MIXER_FLOW),
    # "The B then ...", on from the sentence before
    ("The Token Mixer outputs the class scores. The input image goes into the Patch Tokenizer. "
     "The Token Mixer then mixes the patches.",
     MIXER_FLOW),
    # "B is initialized with A"
    ("The Token Mixer outputs the class scores. The Token Mixer is initialized with the Patch "
     "Tokenizer. The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
    # "Firstly, ... A ... Secondly, ... B ..."
    ("The Token Mixer outputs the class scores. Firstly, the Patch Tokenizer reads the input "
     "image. Secondly, the Token Mixer mixes the patches.",
     MIXER_FLOW),
    # "updates B via A"
    ("The Token Mixer outputs the class scores. Training updates the Token Mixer via the Patch "
     "Tokenizer. The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
    # "B is trained via A"
    ("The Token Mixer outputs the class scores. The Token Mixer is trained via the Patch "
     "Tokenizer. The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
    # "A (acronym) to train the B"
    ("The Token Mixer outputs the class scores. We use the Patch Tokenizer (PT) to train the "
     "Token Mixer. The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
    # "A provides B" (or synthesizes, assigns)
    ("The Token Mixer outputs the class scores. The Patch Tokenizer provides the Token Mixer. "
     "The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
    # "B sampled by A"
    ("The Token Mixer outputs the class scores. The Token Mixer sampled by the Patch Tokenizer "
     "mixes. The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
    # "A, which the B ..."
    ("The Token Mixer outputs the class scores. The input image feeds the Patch Tokenizer. We "
     "train the Patch Tokenizer first, which the Token Mixer then mixes.",
     MIXER_FLOW),
    # "A operates on ... to learn B"
    ("The Token Mixer outputs the class scores. The Patch Tokenizer operates on each patch to "
     "learn the Token Mixer. The Patch Tokenizer reads the input image.",
     MIXER_FLOW),
])
def test_stated_flows_order_the_nodes_where_the_text_tells_them_late(
        text: str, expected: list[str]) -> None:
    spec = plan(text)
    assert labels(spec) == expected
    assert {e["kind"] for e in spec["edges"]} == {"data"}


def test_training_and_inference_become_two_groups() -> None:
    spec = plan(TRAIN_INFERENCE)
    groups = {g["id"]: g["label"] for g in spec["groups"]}
    assert sorted(groups.values()) == ["Inference", "Training"]
    member = {n["label"]: groups.get(n["group"]) for n in spec["nodes"]}
    assert member["Teacher Network"] == member["Distillation Loss"] == "Training"
    assert member["Class Prediction"] == "Inference"


def test_an_enumeration_gives_its_items_in_order() -> None:
    found = labels(plan(ENUMERATION))
    items = ["feature extractor", "graph reasoner", "answer decoder"]
    assert [label for label in found if label in items] == items


def test_the_caption_is_never_a_node() -> None:
    caption = "Figure 7: Overview of the Quantum Flux Capacitor pipeline"
    spec = plan(TRANSFORMER, caption)
    assert not any(word in label for label in labels(spec)
                   for word in ("quantum", "flux", "capacitor", "figure", "overview"))
    assert TRANSFORMER_CAPTION.lower() not in labels(plan(TRANSFORMER, TRANSFORMER_CAPTION))


CROWDED = (
    "We build on the Vision Transformer and compare against a Recurrent Baseline. The image "
    "encoder maps each frame to patch features. The Vision Transformer and the Recurrent "
    "Baseline are pretrained on ImageNet. The temporal fusion module aggregates the patch "
    "features over time, and the Vision Transformer is frozen. The Recurrent Baseline is "
    "tuned as in prior work, and the Recurrent Baseline uses the same data. The action "
    "decoder predicts the next action from the fused features. The Vision Transformer "
    "weights come from a public checkpoint.")


def test_the_caption_picks_and_orders_the_components_in_the_texts_own_words() -> None:
    spec = plan(CROWDED, "Overview of our policy. Image Encoder -> Temporal Fusion Module -> "
                         "Action Decoder, trained with a Spectral Regulariser.")
    found = labels(spec)
    assert [label for label in found if label in ("image encoder", "temporal fusion module",
                                                  "action decoder")] == [
        "image encoder", "temporal fusion module", "action decoder"]
    assert "recurrent baseline" not in found and not any("spectral" in f for f in found)
    flow = pairs(spec, lower=True)
    assert {("image encoder", "temporal fusion module"),
            ("temporal fusion module", "action decoder")} <= flow


def test_a_caption_chain_may_shorten_the_texts_words() -> None:
    text = ("The graph encoder maps the masked graph to latent codes. The decoder module "
            "reconstructs the node features from the latent codes. The graph encoder is a GNN; "
            "the reconstruction loss compares the node features.")
    spec = plan(text, "Overview. Input Graph -> Enc -> Dec -> Reconstruction.")
    flow = pairs(spec, lower=True)
    assert ("graph encoder", "decoder module") in flow


def test_a_caption_chains_stages_are_drawn_in_the_words_the_text_uses() -> None:
    text = ("We start from an AR checkpoint and continue AR pretraining on code data. Training "
            "with small blocks keeps the context clean, so block diffusion learns stable rules. "
            "Bidirectional attention then widens the context of the diffusion model. The DLLM "
            "base model and the AR base model are released.")
    caption = ("Training pipeline. AR Mode Pretraining -> Code Pretraining -> Small Block "
               "Diffusion (DLLM Mode) -> Huge Block or Bidirectional Diffusion, producing AR and "
               "DLLM Base Models with two training tricks.")
    spec = plan(text, caption)
    stages = ["ar pretraining", "code pretraining", "small block diffusion",
              "bidirectional diffusion"]
    assert labels(spec) == [*stages, "ar base model", "dllm base model"]
    assert pairs(spec, lower=True) == {
        *zip(stages, stages[1:]), ("bidirectional diffusion", "ar base model"),
        ("bidirectional diffusion", "dllm base model")}
    assert [n["role"] for n in spec["nodes"]][-2:] == ["output", "output"]
    assert next(n for n in spec["nodes"] if n["label"] == "Small Block Diffusion"
                )["sublabel"] == "DLLM"


def test_what_a_caption_chain_produces_is_one_output_each_in_the_singular() -> None:
    text = ("Data cleaning removes noise from the raw data. Feature mining then finds useful "
            "signals in the cleaned data. A policy search tries many policies on these "
            "features. The greedy strategy and the sampling strategy are kept.")
    spec = plan(text, "Overview. Data Cleaning -> Feature Mining -> Policy Search, producing "
                      "Greedy and Sampling Strategies.")
    assert labels(spec) == ["data cleaning", "feature mining", "policy search",
                            "greedy strategy", "sampling strategy"]
    assert [n["role"] for n in spec["nodes"]][-2:] == ["output", "output"]


def test_a_caption_chain_the_text_names_says_all_the_figure_holds() -> None:
    text = ("The Structure Scorer rates every node of the input graph. The Masking Module hides "
            "the top-rated nodes. The Graph Encoder maps the masked graph to latent codes. The "
            "Feature Decoder reconstructs the node features. A Memory Bank stores the latent "
            "codes. The Memory Bank is large. The predefined mask is fixed. The predefined mask "
            "is shared. The Feature Decoder is shallow.")
    chain = "Overview. Input Graph -> Structure Scorer -> Masking Module -> Graph Encoder -> " \
            "Feature Decoder -> Reconstructed Nodes."
    assert labels(plan(text, chain)) == ["input graph", "structure scorer", "masking module",
                                         "graph encoder", "feature decoder"]
    assert "memory bank" in labels(plan(text, "Overview. The Graph Encoder feeds the decoder."))


def test_what_the_caption_says_the_method_serves_is_no_component() -> None:
    spec = plan(TRANSFORMER, "The encoder serves diverse NLP tasks. NLP is everywhere.")
    assert "nlp" not in labels(spec)


def test_the_experiments_and_the_front_matter_weigh_less_than_the_method() -> None:
    text = ("# Widget Nets: A Title\n\nA Gadget Benchmark figure.\n\n# Abstract\n\n"
            "Widget Nets use a Gadget Benchmark.\n\n# Method\n\n"
            "The input image is encoded by the patch encoder. The patch encoder feeds the "
            "Fusion Module. The Fusion Module outputs the class scores.\n\n# Experiments\n\n"
            "We test on Gadget Benchmark. Gadget Benchmark has many images. Gadget Benchmark "
            "is hard.")
    sentences = parse(text)
    assert [s.aside for s in sentences if "Gadget" in s.text] == [True] * 5
    assert not any(s.aside for s in sentences if "patch encoder" in s.text)
    assert labels(plan(text)) == ["input image", "patch encoder", "fusion module", "class scores"]


def test_a_paragraph_run_in_as_a_motivation_or_an_example_is_aside() -> None:
    sentences = parse("# Method\n\nMotivation. Prior work uses a Gadget Cache. It is slow.\n\n"
                      "The patch encoder feeds the fusion module.\n\nExample. A Toy Adder adds.")
    aside = {s.text: s.aside for s in sentences}
    assert aside["Prior work uses a Gadget Cache."] and aside["It is slow."]
    assert aside["A Toy Adder adds."] and not aside["The patch encoder feeds the fusion module."]


@pytest.mark.parametrize("paragraph, title", [
    ("(ii) Test Input Generation. Obtaining test cases is hard.", "(ii) Test Input Generation."),
    ("Step 1: Consensus Voting. First, we vote.", "Step 1: Consensus Voting."),
    ("Guided Continuation Given the subset, the model writes.", "Guided Continuation."),
    ("State Transition and Grounding Following generation, it updates.",
     "State Transition and Grounding."),
    ("Large Language Models are strong reasoners.", None),
    ("(4) with a small model.", None),
])
def test_a_paragraph_s_run_in_title_is_a_heading(paragraph: str, title: str | None) -> None:
    titles = [s.text for s in parse(f"# Method\n\n{paragraph}") if s.heading][1:]
    assert titles == ([title] if title else [])


def test_enumerated_run_in_stages_are_drawn_in_their_order() -> None:
    text = ("# Method\n\nWe build coding tasks in three steps from the code snippets.\n\n"
            "(i) Task Generation. We extract features from the code snippets and write tasks."
            "\n\n(ii) Test Input Generation. The prompting method writes test inputs for "
            "each task.\n\n(iii) Candidate Solutions Generation. Several reasoning models "
            "answer each task, giving the final solutions.")
    drawn = labels(plan(text))
    stages = ["task generation", "test input generation", "candidate solutions generation"]
    assert [label for label in drawn if label in stages] == stages


def test_what_a_part_is_for_is_no_part() -> None:
    text = ("# Method\n\nThe input question goes to the small model. The small model feeds the "
            "router. The router hands hard steps to a large model for high-quality generation. "
            "The large model returns the final answer.")
    drawn = labels(plan(text))
    assert "high-quality generation" not in drawn
    assert {"small model", "router", "large model"} <= set(drawn)


def test_an_algorithm_s_declared_output_is_the_figure_s_output() -> None:
    text = ("# Method\n\nThe Reader Model encodes the input document into features. The Writer "
            "Model writes the draft output from the features. The Critic Model reads the draft "
            "output.\n\nAlgorithm 1 Summarize. Input: the input document. Output: summary text"
            "\n1: return the summary text")
    spec = plan(text)
    assert labels(spec)[-1] == "summary text" and spec["nodes"][-1]["role"] == "output"


def test_examples_and_prompt_templates_name_no_parts() -> None:
    text = ("# Method\n\nThe input question goes to the proof agent. The proof agent applies "
            "lemmas such as the Cauchy-Schwarz Inequality and calls the symbolic solver. It "
            "knows inequalities (e.g., AM-GM, Cauchy-Schwarz Inequality). The symbolic solver "
            "returns the final proof.\n\nYou are a prover. Given any input "
            "text, use the Hint Generator and write a proof.\n\nExample. The proof agent "
            "adopts the Cauchy-Schwarz Inequality.")
    drawn = labels(plan(text))
    assert "cauchy-schwarz inequality" not in drawn and "hint generator" not in drawn
    assert {"proof agent", "symbolic solver"} <= set(drawn)


def test_an_input_the_caption_names_is_the_input_though_the_text_names_it_once() -> None:
    text = ("# Method\n\nThe frame encoder writes frame features into the memory bank. The "
            "memory bank feeds the answer decoder. The answer decoder returns the final answer. "
            "The frame encoder is a ViT. The memory bank is a cache. The answer decoder is an "
            "LLM. The frame encoder is pretrained. The memory bank holds 64 slots. The memory "
            "bank evicts old frames. The answer decoder is frozen. The frame encoder runs at 2 "
            "fps. The memory bank is compressed. The answer decoder is prompted. The frame "
            "encoder reads the raw video.")
    spec = plan(text, "Raw video is processed by the frame encoder into the memory bank.")
    assert labels(spec)[0] == "raw video" and spec["nodes"][0]["role"] == "input"


@pytest.mark.parametrize("heading", ["Phenomenon of Frozen Parameters",
                                     "Comprehensive Analysis of Generation Dynamics"])
def test_a_section_on_an_observed_phenomenon_or_an_analysis_is_aside(heading: str) -> None:
    sentences = parse(f"# 3.1 {heading}\n\nThe Toy Optimizer freezes parameters.\n\n"
                      "# 3.2 Method\n\nThe data builder feeds the predictor.")
    assert [s.aside for s in sentences if "Toy" in s.text] == [True]
    assert not any(s.aside for s in sentences if "predictor" in s.text)


def test_a_worked_example_is_aside_until_the_next_title() -> None:
    sentences = parse("# Method\n\nProof Construction Example Taking the case as an example, "
                      "the agent works.\n\nFor the left side, the agent adopts the Toy Lemma."
                      "\n\nSelf-Improvement. The solver stores the Toy Lemma.")
    aside = {s.text: s.aside for s in sentences}
    assert aside["Proof Construction Example."]
    assert aside["For the left side, the agent adopts the Toy Lemma."]
    assert not aside["The solver stores the Toy Lemma."]


def test_steps_titled_in_their_paragraphs_are_drawn_and_an_announced_cycle_closes() -> None:
    text = ("# Method\n\nThe story prefix feeds the Foreshadow Pool. The Foreshadow Pool holds "
            "commitments. Our Narrative Planner is an LLM. The Narrative Planner is fast.\n\n"
            "# The Loop\n\nThe system operates through an iterative cycle:\n\n"
            "Eligibility Selection At each step, the system scans the Foreshadow Pool.\n\n"
            "Guided Continuation Given the subset, the language model writes the next scene."
            "\n\nState Update Following generation, the system updates the pool.")
    spec = plan(text)
    drawn = labels(spec)
    steps = ["eligibility selection", "guided continuation", "state update"]
    assert [label for label in drawn if label in steps] == steps
    back = [(a, b) for a, b, kind in arrows(spec, lower=True) if kind == "feedback"]
    assert back and back[0][0] == "state update"


def test_a_group_named_after_a_module_draws_that_module_around_its_parts() -> None:
    text = ("# Preprocessing\n\nThe raw signals are cleaned by the Signal Filter. The Signal "
            "Filter feeds the Signal Tokenizer.\n\n# Signal Tokenizer\n\nThe Signal Tokenizer "
            "has a Temporal Tokenizer and a Spatial Tokenizer. The Temporal Tokenizer feeds the "
            "Spatial Tokenizer. The Spatial Tokenizer outputs the tokens to the Sparse "
            "Attention.\n\n# Attention\n\nThe Sparse Attention reads the tokens and the "
            "Sparse Attention returns the final embedding.")
    spec = plan(text)
    groups = {g["id"]: g["label"] for g in spec["groups"]}
    inside = {n["label"]: groups.get(n["group"]) for n in spec["nodes"]}
    assert "Signal Tokenizer" not in inside
    assert inside["Temporal Tokenizer"] == inside["Spatial Tokenizer"] == "Signal Tokenizer"
    flow = pairs(spec)
    assert ("Signal Filter", "Temporal Tokenizer") in flow
    assert all(list(groups.values()).count(label) == 1 for label in groups.values())
    sizes = [sum(n["group"] == g for n in spec["nodes"]) for g in groups]
    assert all(size >= 2 for size in sizes)


FUSION = ("The image encoder encodes the input image into visual features. The depth encoder "
          "encodes the depth map into geometric features. The fusion module combines the visual "
          "features and the geometric features. The classifier head predicts the scene label "
          "from the fused features.")


@pytest.mark.parametrize("caption, panels", [
    ("Overview. (a) Feature Encoding with the image encoder and the depth encoder. "
     "(b) Fusion and Prediction: the fusion module and the classifier head.",
     {"Image Encoder": "Feature Encoding", "Depth Encoder": "Feature Encoding",
      "Fusion Module": "Fusion and Prediction", "Classifier Head": "Fusion and Prediction"}),
    ("Overview. (a) The image encoder and the depth encoder map the inputs. "  # no titles
     "(b) The fusion module and the classifier head predict the label.", {}),
])
def test_the_caption_s_titled_panels_group_what_they_name(caption: str,
                                                          panels: dict[str, str]) -> None:
    spec = plan(FUSION, caption)
    groups = {g["id"]: g["label"] for g in spec["groups"]}
    inside = {n["label"]: groups[n["group"]] for n in spec["nodes"] if n.get("group")}
    assert inside == panels


def test_each_item_a_verb_lists_flows_and_what_a_module_encodes_a_thing_into_comes_from_it(
        ) -> None:
    flow = pairs(plan(FUSION, "Overview. Image and depth encoders."))
    assert {("Image Encoder", "Visual Features"), ("Depth Encoder", "Geometric Features"),
            ("Visual Features", "Fusion Module"), ("Geometric Features", "Fusion Module")} <= flow


def test_a_second_input_the_caption_names_starts_its_own_branch() -> None:
    text = ("The image encoder encodes the input image into visual features. The text encoder "
            "encodes the question into text features. The fusion module combines the visual "
            "features and the text features. The answer head predicts the answer from the "
            "fused features. Each question is a short sentence about the input image.")
    spec = plan(text, "Overview: the input image and the question are encoded and fused.")
    roles = {n["label"]: n["role"] for n in spec["nodes"]}
    assert roles["Input Image"] == roles["Question"] == "input"
    flow = pairs(spec)
    assert {("Input Image", "Image Encoder"), ("Question", "Text Encoder"),
            ("Visual Features", "Fusion Module"), ("Text Features", "Fusion Module")} <= flow
    assert not any("Question" in pair and "Input Image" in pair for pair in flow)
    drawn = list(roles)
    assert drawn.index("Text Encoder") - drawn.index("Question") == 1  # beside its step


def test_a_group_label_drops_its_heading_s_article_proposed_and_quotes_and_shows_its_namesake(
        ) -> None:
    spec = plan("# The Proposed Encoding Stage\n\nThe image encoder encodes the input image "
                "into visual tokens. The token mixer mixes the visual tokens.\n\n# The “Decoding” "
                "Stage\n\nThe mask decoder reads the mixed tokens. The mask head predicts the "
                "output mask.")
    assert [g["label"] for g in spec["groups"]] == ["Encoding Stage", "Decoding Stage"]
    assert "encoding stage" not in labels(spec)


def test_a_section_on_the_overall_architecture_is_the_whole_figure_not_a_group() -> None:
    spec = plan("# Overall SegNet Architecture\n\nThe image encoder encodes the input image "
                "into visual tokens. The token mixer mixes the visual tokens.\n\n# Mask "
                "Decoding\n\nThe mask decoder reads the mixed tokens. The mask head predicts "
                "the output mask.")
    assert [g["label"] for g in spec["groups"]] == ["Mask Decoding"]


def test_parts_a_block_lists_in_parentheses_are_its_group_side_by_side() -> None:
    text = ("The circuit extractor maps the language model to a concept graph. On the concept "
            "graph we measure Node Importance, Redundancy and Robustness. Node Importance ranks "
            "the nodes. Redundancy counts repeated paths. Robustness measures stability.")
    spec = plan(text, "Overview. Graph metrics (Node Importance, Redundancy, Robustness) "
                      "characterize the concept graph.")
    groups = {g["id"]: g["label"] for g in spec["groups"]}
    metrics = [n["label"] for n in spec["nodes"] if groups.get(n["group"]) == "Graph Metrics"]
    assert metrics == ["Node Importance", "Redundancy", "Robustness"]
    flow = arrows(spec)
    assert not [(a, b) for a, b, _ in flow if a in metrics and b in metrics]
    assert all(any(b == m for _, b, _ in flow) and any(a == m for a, _, _ in flow)
               for m in metrics)


def test_what_flows_into_a_block_reaches_every_part_it_lists_side_by_side() -> None:
    text = ("The circuit extractor maps the language model to a concept graph. The Graph "
            "Metrics module reads the concept graph. On the concept graph the Graph Metrics "
            "module measures Node Importance, Redundancy and Robustness. Node Importance ranks "
            "the nodes. Redundancy counts repeated paths. Robustness measures stability.")
    spec = plan(text, "Overview. Graph Metrics (Node Importance, Redundancy, Robustness) "
                      "characterize the concept graph.")
    assert "graph metrics module" not in labels(spec)  # the group shows the block
    drawn = pairs(spec)
    assert {("Concept Graph", m) for m in ("Node Importance", "Redundancy", "Robustness")} <= drawn


def test_a_block_s_parts_run_before_what_follows_it_when_the_caption_names_only_the_block(
        ) -> None:
    text = ("# Preprocessing\n\nThe raw signals are cleaned by the Signal Filter. Our model "
            "stacks a Signal Tokenizer and a Sparse Attention.\n\n"
            "# Signal Tokenizer\n\nThe Signal Tokenizer has a Temporal Tokenizer and a "
            "Spatial Tokenizer. The Temporal Tokenizer writes patches and the Spatial Tokenizer "
            "writes more.\n\n# Attention\n\nThe Sparse Attention reads the tokens and "
            "returns the final embedding.")
    caption = ("After the Signal Filter, the Signal Tokenizer encodes the signals. The Sparse "
               "Attention then captures dependencies.")
    spec = plan(text, caption)
    flow = arrows(spec)
    assert ("Spatial Tokenizer", "Sparse Attention", "data") in flow
    assert all(kind == "data" for _, _, kind in flow)
    assert labels(spec).index("spatial tokenizer") < labels(spec).index("sparse attention")


def test_an_input_like_module_named_by_its_group_is_the_group_not_the_input() -> None:
    text = ("# Method\n\nThe Visual Prompts condition the Patch Encoder. The Patch Encoder feeds "
            "the Class Head.\n\n# Visual Prompts\n\nThe Visual Prompts hold a Prompt Mixer and "
            "a Prompt Selector. The Prompt Mixer feeds the Prompt Selector. The Prompt Selector "
            "feeds the Patch Encoder.\n\n# Head\n\nThe Class Head returns the class scores.")
    spec = plan(text)
    assert [g["label"] for g in spec["groups"]] == ["Visual Prompts"]
    assert "visual prompts" not in labels(spec)  # the group shows them, no input box again


def test_a_group_named_with_an_article_and_a_qualifier_still_draws_its_namesake() -> None:
    text = ("# Preprocessing\n\nThe raw signals are cleaned by the Signal Filter. The Signal "
            "Filter feeds the Signal Tokenizer.\n\n# The Signal Tokenizer with Learned Filters"
            "\n\nThe Signal Tokenizer has a Temporal Tokenizer and a Spatial Tokenizer. The "
            "Temporal Tokenizer feeds the Spatial Tokenizer. The Spatial Tokenizer outputs the "
            "tokens to the Cross-Layer Memory Smoothing.\n\n# Smoothing\n\nThe Cross-Layer "
            "Smoothing reads the tokens and the Cross-Layer Memory Smoothing returns the final "
            "embedding.")
    spec = plan(text)
    groups = {g["id"]: g["label"] for g in spec["groups"]}
    inside = {n["label"]: groups.get(n["group"]) for n in spec["nodes"]}
    assert "Signal Tokenizer" not in inside
    assert inside["Temporal Tokenizer"] == "Signal Tokenizer with Learned Filters"
    assert "Cross-Layer Memory Smoothing" in inside and "Cross-Layer Smoothing" not in inside


def test_a_section_whose_parts_the_flow_keeps_apart_is_no_group() -> None:
    text = ("# Encoding\n\nThe Patch Encoder feeds the Mask Decoder. The Fusion Module feeds "
            "the Output Layer. The Patch Encoder is small. The Fusion Module is small.\n\n"
            "# Decoding\n\nThe Mask Decoder feeds the Mask Head. The Mask Head feeds the Fusion "
            "Module. The Mask Decoder is deep. The Mask Head is light.")
    spec = plan(text)
    assert labels(spec) == ["patch encoder", "mask decoder", "mask head", "fusion module",
                            "output layer"]
    assert [g["label"] for g in spec["groups"]] == ["Decoding"]  # not Encoding: 1st and 4th


def test_a_group_about_something_in_a_module_does_not_stand_for_it() -> None:
    text = ("# Frozen Weights in Solver\n\nThe Weight Monitor reads the Solver. The Weight "
            "Monitor feeds the Freeze Scheduler. The Freeze Scheduler feeds the Solver. The "
            "Weight Monitor is cheap. The Freeze Scheduler is cheap.\n\n# Solving\n\nThe "
            "Solver is exact. The Solver feeds the Result Checker. The Result Checker is fast.")
    assert "solver" in labels(plan(text))  # the section is about frozen weights, not the solver


def test_an_acronym_may_be_spelled_out_after_it_as_captions_do() -> None:
    sentences = parse("SSA (Structured Sparse Attention) feeds the classifier head. "
                      "Structured Sparse Attention (SSA) is cheap. The head (MLP) is small.")
    assert acronyms(sentences) == {"ssa": "Structured Sparse Attention"}


def test_a_phrase_an_acronyms_initials_spell_is_the_same_node() -> None:
    text = ("The SLM drafts each step and the LLM verifies it. A large reasoning model (LRM) is "
            "slow. When the entropy is high, the step goes to the large model; otherwise the "
            "small model continues. The small model is cheap. The LLM writes the final answer.")
    spec = plan(text + " SFT tunes the spatial tokens. The spatial tokens are small. SFT is "
                "cheap.", "The SLM drafts steps; the LLM answers.")
    named = {n["label"].lower(): n.get("sublabel") for n in spec["nodes"]}
    assert "llm" in named and "large model" not in named
    assert "slm" in named or named.get("small model") == "SLM"  # one node, either name
    assert "slm" not in named or "small model" not in named
    assert "spatial tokens" in named and "sft" in named  # "SFT" spells no "spatial tokens"


def test_an_adjective_or_a_bare_generic_word_is_no_component() -> None:
    text = ("Our approach has two parts: the method and the Token-Alignable. The Token-Alignable "
            "draft model reads the hidden states. The draft model feeds the Token-Enhanced Head. "
            "The Token-Enhanced Head predicts the draft tokens. Token-Alignable training helps.")
    drawn = labels(plan(text))
    assert "token-alignable" not in drawn and "method" not in drawn
    assert "token-enhanced head" in drawn


def test_a_verb_after_a_verb_and_and_is_no_component() -> None:
    text = ("The pattern extractor decomposes the input graph into subgraphs. It extracts and "
            "stores multi-dimensional patterns in the pattern library. The retriever reads the "
            "pattern library and returns the predictions.")
    drawn = labels(plan(text))
    assert "stores" not in drawn and "pattern library" in drawn


def test_an_acronym_written_only_as_a_function_is_math_not_a_component() -> None:
    text = ("The graph encoder maps the input graph to node features. We also use the "
            "Forman-Ricci curvature of each edge, computed as FR(vi) = 1 - d(vi). The "
            "outlier scorer reads the node features and FR(vi) and returns the outlier scores.")
    drawn = labels(plan(text))
    assert "fr" not in drawn and "forman-ricci" not in drawn
    assert {"graph encoder", "outlier scorer"} <= set(drawn)


def test_pairs_are_data_a_module_makes() -> None:
    spec = plan("The proposer agent generates QA pairs. The solver agent answers the QA pairs "
                "and returns the predictions.")
    assert ("Proposer Agent", "QA Pairs", "data") in arrows(spec)


def test_questions_an_agent_makes_are_data_inside_the_figure_not_its_input() -> None:
    spec = plan("The proposer agent learns to synthesize challenging questions. The solver "
                "agent answers the questions and returns the predictions.")
    assert {n["label"]: n["role"] for n in spec["nodes"]}["Questions"] == "data"
    assert [("Proposer Agent", "Questions"), ("Questions", "Solver Agent")] == [
        (a, b) for a, b, _ in arrows(spec) if "Questions" in (a, b)]


def test_no_arrow_repeats_a_flow_the_text_states_through_data() -> None:
    spec = plan("The proposer agent generates QA pairs, which the solver agent attempts to solve. "
                "The proposer agent feeds the solver agent. The solver agent returns the "
                "predictions.")
    flow = pairs(spec)
    assert {("Proposer Agent", "QA Pairs"), ("QA Pairs", "Solver Agent")} <= flow
    assert ("Proposer Agent", "Solver Agent") not in flow


def test_a_markdown_list_of_titled_steps_is_read_as_steps_not_headings() -> None:
    text = ("## 3 Method\n\nOur system has three stages:\n\n"
            "1. **Data Collection**: a crawler collects raw web pages.\n"
            "2. **Filtering**: a quality classifier removes low-quality pages.\n"
            "3. **Training**: the filtered corpus is used to train the language model.\n")
    sentences = parse(text)
    assert [s.text for s in sentences if s.stage] == ["Data Collection.", "Filtering.",
                                                       "Training."]
    assert {s.section for s in sentences} == {"Method"}
    drawn = labels(plan(text))
    assert {"crawler", "quality classifier", "filtered corpus", "language model"} <= set(drawn)
    assert not any("*" in label for label in drawn)


def test_servers_clients_and_a_return_to_the_start_read_as_a_round_trip() -> None:
    spec = plan("The mobile client captures a photo and sends it to the edge server. The edge "
                "server runs a lightweight detector on the photo and forwards the detected "
                "regions to the cloud server. The cloud server runs the large recognition model "
                "on the regions and returns the labels to the mobile client.")
    drawn = [n["label"] for n in spec["nodes"]]
    assert drawn[:3] == ["Mobile Client", "Photo", "Edge Server"] and "Cloud Server" in drawn
    assert ("Cloud Server", "Mobile Client", "feedback") in arrows(spec)


def test_two_branches_told_side_by_side_pair_up_item_by_item_and_fuse() -> None:
    spec = plan("The image encoder (ViT) and the text encoder (BERT) produce image embeddings "
                "and text embeddings, which the fusion transformer combines. The classification "
                "head predicts the label from the fused representation.")
    nodes = {n["label"]: n.get("sublabel") for n in spec["nodes"]}
    assert nodes["Image Encoder"] == "ViT" and nodes["Text Encoder"] == "BERT"
    assert "ViT" not in nodes and "BERT" not in nodes
    flow = pairs(spec)
    assert {("Image Encoder", "Image Embeddings"), ("Text Encoder", "Text Embeddings"),
            ("Image Embeddings", "Fusion Transformer"),
            ("Text Embeddings", "Fusion Transformer")} <= flow
    assert not {("Image Encoder", "Text Encoder"), ("Image Encoder", "Text Embeddings"),
                ("Text Encoder", "Image Embeddings")} & flow


def test_a_short_text_s_inputs_go_to_the_steps_their_sentences_name() -> None:
    spec = plan("Starting from Gaussian noise, the denoising U-Net iteratively removes noise. "
                "The U-Net is conditioned on the text embedding produced by the CLIP text "
                "encoder from the user prompt. The VAE decoder decodes the final latent into "
                "the output image.")
    roles = {n["label"]: n["role"] for n in spec["nodes"]}
    assert roles["Gaussian Noise"] == roles["User Prompt"] == "input"
    flow = {(a, b): kind for a, b, kind in arrows(spec)}
    assert {("Gaussian Noise", "U-Net"), ("User Prompt", "CLIP Text Encoder"),
            ("CLIP Text Encoder", "Text Embedding"), ("Text Embedding", "U-Net")} <= set(flow)
    assert "feedback" not in flow.values()  # the U-Net's own loop closes nothing else


def test_a_client_trains_its_model_on_its_data_and_the_server_sends_the_result_back(
        ) -> None:
    spec = plan("Each client trains a local model on its private data and uploads the model "
                "update to the server. The server aggregates the updates into a global model "
                "and sends it back to the clients for the next round.")
    flow = pairs(spec)
    assert {("Client", "Local Model"), ("Private Data", "Local Model"),
            ("Model Update", "Server"), ("Server", "Global Model")} <= flow


def test_a_short_text_s_parts_need_no_head_word_a_list_knows() -> None:
    spec = plan("First, the speech recognizer transcribes the input audio into a transcript. "
                "Then, the translation model translates the transcript into the target "
                "language. Finally, the speech synthesizer converts the translated text into "
                "output speech.")
    roles = {n["label"]: n["role"] for n in spec["nodes"]}
    assert {"Speech Recognizer", "Transcript", "Speech Synthesizer"} <= set(roles)
    assert roles["Input Audio"] == "input" and roles["Translated Text"] == "data"
    flow = pairs(spec)
    assert {("Input Audio", "Speech Recognizer"), ("Speech Recognizer", "Transcript"),
            ("Transcript", "Translation Model")} <= flow


def test_what_a_module_extracts_from_the_input_passes_through_it() -> None:
    spec = plan("The backbone (ResNet-50) extracts multi-scale feature maps from the input "
                "image. A feature pyramid network fuses the feature maps. The detection head "
                "classifies the candidate boxes.")
    assert {n["label"]: n.get("sublabel") for n in spec["nodes"]}["Backbone"] == "ResNet-50"
    flow = pairs(spec)
    assert {("Input Image", "Backbone"), ("Backbone", "Multi-Scale Feature Maps")} <= flow
    assert ("Input Image", "Multi-Scale Feature Maps") not in flow


def test_what_a_generator_maps_noise_to_is_drawn_with_its_qualifier() -> None:
    spec = plan("The generator network maps random noise to fake images. The discriminator "
                "network receives both real images and fake images and outputs a realism "
                "score.")
    flow = pairs(spec)
    assert {("Random Noise", "Generator Network"), ("Generator Network", "Fake Images"),
            ("Fake Images", "Discriminator Network"),
            ("Real Images", "Discriminator Network")} <= flow


def test_the_teacher_is_the_large_teacher_model() -> None:
    drawn = labels(plan("A large teacher model and a small student model receive the input "
                        "batch. The teacher produces soft targets. The distillation loss "
                        "compares the predictions with the soft targets."))
    assert "large teacher model" in drawn and "teacher" not in drawn and "soft targets" in drawn


def test_a_cycle_between_two_parts_breaks_before_the_loss_not_after_it() -> None:
    spec = plan("For each camera ray, we sample points along the ray. An MLP maps each point's "
                "position and viewing direction to a color and a density. Volume rendering "
                "integrates the colors along the ray into the pixel color, and the pixel color "
                "feeds volume rendering again. The photometric loss compares it with the "
                "ground-truth pixel.")
    roles = {n["label"]: n["role"] for n in spec["nodes"]}
    assert list(roles)[-1] == "Photometric Loss"
    assert roles["Volume Rendering"] == "model" and roles["Pixel Color"] == "data"  # no "-or"
    assert ("MLP", "Pixel Color") in pairs(spec)


def test_a_model_named_in_apposition_fills_its_part_and_a_pair_type_is_no_list_of_parts(
        ) -> None:
    spec = plan("We collect (image, text) pairs. The image encoder, a ResNet or a Vision "
                "Transformer, maps each image to an image embedding. The text encoder, a "
                "Transformer, maps each text to a text embedding. A contrastive loss compares "
                "the image embeddings with the text embeddings.")
    nodes = {n["label"]: n.get("sublabel") for n in spec["nodes"]}
    assert nodes["Image Encoder"] == "ResNet" and nodes["Text Encoder"] == "Transformer"
    assert not {"Vision Transformer", "Transformer", "ResNet"} & set(nodes)
    flow = pairs(spec)
    assert {("Image Encoder", "Image Embedding"), ("Text Encoder", "Text Embedding")} <= flow


def test_a_verb_before_a_noun_is_no_qualifier_of_it() -> None:
    drawn = labels(plan("The adapter is trained while the backbone does not receive gradient "
                        "updates. The adapter outputs the prediction."))
    assert "receive gradient updates" not in drawn


def test_a_part_the_caption_names_in_capitals_is_drawn_though_no_head_word_names_it(
        ) -> None:
    text = ("# Method\n\nWe first train the textual teacher with reinforcement learning on "
            "long chains of thought. The textual teacher then supervises the latent student, "
            "which learns to compress the reasoning into a few latent tokens. The latent "
            "student feeds the action model, which outputs the robot actions. "
            + "This is fast. " * 10)  # a long text: no loose reading
    spec = plan(text, "Overview. (a) A Textual Teacher generates verbose reasoning, distilled "
                      "into a Latent Student producing compact latent tokens.")
    assert {"textual teacher", "latent student"} <= set(labels(spec))
    assert ("Textual Teacher", "Latent Student", "data") in arrows(spec)


def test_a_loss_takes_what_it_compares_and_ground_truth_is_no_output() -> None:
    spec = plan("A large teacher model and a small student model receive the input batch. The "
                "teacher produces soft targets, and the student produces predictions. The "
                "distillation loss compares the predictions with the soft targets, and the "
                "cross-entropy loss compares them with the ground-truth labels.")
    roles = {n["label"]: n["role"] for n in spec["nodes"]}
    assert roles["Ground-Truth Labels"] != "output"
    flow = pairs(spec)
    assert {("Predictions", "Distillation Loss"), ("Soft Targets", "Distillation Loss"),
            ("Ground-Truth Labels", "Cross-Entropy Loss")} <= flow


def test_the_short_name_a_text_refers_back_with_is_the_thing_it_named_first() -> None:
    drawn = labels(plan("The LLM generates a draft answer for the question. A critic model "
                        "scores the draft and writes feedback. The LLM revises the draft."))
    assert len([label for label in drawn if label.startswith("draft")]) == 1


def test_branches_told_alike_do_not_feed_each_other_and_meet_where_their_products_go(
        ) -> None:
    spec = plan("The image encoder maps each image to an image embedding. The text encoder maps "
                "each text to a text embedding. The text embedding is projected by the linear "
                "projection into the shared space.")
    flow = pairs(spec)
    assert not {("Image Embedding", "Text Encoder"), ("Image Encoder", "Text Encoder")} & flow
    assert {("Image Encoder", "Image Embedding"), ("Text Encoder", "Text Embedding"),
            ("Image Embedding", "Linear Projection")} <= flow


def test_what_an_encoder_makes_is_not_the_encoder() -> None:
    drawn = labels(plan("The encoder downsamples the input image. The bottleneck processes the "
                        "coarsest features. Skip connections pass the encoder features to the "
                        "decoder, which outputs the segmentation mask."))
    assert {"encoder", "encoder features", "bottleneck", "decoder"} <= set(drawn)


def test_losses_a_training_objective_combines_flow_into_it() -> None:
    spec = plan("The encoder maps the input image to a latent vector. The decoder reconstructs "
                "the image from the latent vector. The training objective combines the "
                "reconstruction loss and the KL divergence.")
    flow = pairs(spec)
    assert {("Reconstruction Loss", "Training Objective"),
            ("KL Divergence", "Training Objective")} <= flow


def test_a_heading_drops_the_connector_its_math_left_hanging() -> None:
    sentences = parse("3.2 WATERMARK EMBEDDING $g_{\\sigma}$ AND $f_{\\mu}$\n\nThe embedder works.")
    assert sentences[0].section == "Watermark Embedding"


def test_the_method_its_training_pipeline_and_what_it_is_called_are_no_components() -> None:
    text = ("We propose Distil-Net, a compact knowledge transfer framework that trains a small "
            "model. " + TRAIN_INFERENCE + " The compact knowledge transfer framework is fast. "
            "We propose Soft-Mixer, an adapter that feeds the student network. The Soft-Mixer "
            "reads the soft labels.")
    drawn = labels(plan(text, "Distil-Net training pipeline."))
    assert "distil-net" not in drawn and "compact knowledge transfer framework" not in drawn
    assert "teacher network" in drawn and "soft-mixer" in drawn  # a part, named as it is
    spelled = labels(plan(text + " KTN adds the Soft-Mixer. KTN is simple.",
                          "Overview of the knowledge transfer (KTN) framework."))
    assert "ktn" not in spelled and "soft-mixer" in spelled


def test_a_caption_titled_with_a_name_and_the_evaluation_name_no_parts() -> None:
    text = ("The Grasp Policy uses the Affordance Model. The input point cloud feeds the "
            "Affordance Model. The Affordance Model feeds the Diffusion Policy. The Diffusion "
            "Policy outputs the joint actions. The Diffusion Policy yields Real-World "
            "Experimental Results. The Grasp Policy is hierarchical.")
    drawn = labels(plan(text, "Grasp Policy. We adopt a hierarchical Grasp Policy."))
    assert "grasp policy" not in drawn and "real-world experimental results" not in drawn
    assert {"affordance model", "diffusion policy"} <= set(drawn)


def test_a_phrase_fitting_a_part_and_the_methods_name_merges_into_the_part() -> None:
    text = ("We present RoboNet, a unified physics-informed world model that learns from videos. "
            "The Physics-informed Embodied World Model reads the input video. The "
            "physics-informed world model feeds the Depth Predictor. The Depth Predictor "
            "outputs the depth maps. The Physics-informed Embodied World Model is large.")
    drawn = labels(plan(text))
    assert "physics-informed embodied world model" in drawn
    assert "physics-informed world model" not in drawn  # one box, not two
    assert "unified physics-informed world model" not in drawn  # the method itself


def test_capitals_that_spell_an_acronym_are_not_kept_in_its_label() -> None:
    text = ("We propose the Hierarchical GArment ManipuLation POlicy (HALO). HALO reads the "
            "point cloud and feeds the Garment Affordance Model (GAM). The GAM outputs the "
            "grasp points. The ResNet Backbone (RB) encodes the image for HALO.")
    labelled = {n["label"] for n in plan(text)["nodes"]}
    assert "Hierarchical Garment Manipulation Policy" in labelled
    assert "ResNet Backbone" in labelled  # its capitals are the name's own


def test_planning_is_deterministic() -> None:
    assert plan(LOOP) == plan(LOOP)


def test_planning_does_not_depend_on_the_processs_hash_seed() -> None:
    """Set order changes with PYTHONHASHSEED: a worker and a CLI must draw the same figure."""
    program = ("import json, sys; from adapters.offline_diagram_planner import "
               "OfflineDiagramPlanner as P; cases = json.load(open(sys.argv[1])); "
               "print(json.dumps([P().plan(c['source_context'], c['caption'], []) "
               "for c in cases]))")
    root = Path(__file__).resolve().parents[2]
    specs = {subprocess.run([sys.executable, "-c", program, str(DEV)], cwd=root, check=True,
                            capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2", "3")}
    assert len(specs) == 1


@pytest.mark.parametrize("text", ["", "   \n\t", "lorem ipsum", "asdf qwer",
                                  "This paper is great.", "这篇论文很好。"])
def test_text_without_a_method_is_refused(text: str) -> None:
    with pytest.raises(DiagramTextError, match="(?i)no method components"):
        OfflineDiagramPlanner().plan(text, "Figure 1: A great paper", [])


@pytest.mark.parametrize(("text", "script"), [
    ("まず、エンコーダが入力画像を特徴に変換する。次に、デコーダがマスクを生成する。", "Japanese"),
    ("인코더가 입력 이미지를 특징으로 변환하고 디코더가 마스크를 생성합니다.", "Korean"),
])
def test_a_text_in_a_script_the_planner_cannot_read_is_refused_saying_so(
        text: str, script: str) -> None:
    with pytest.raises(DiagramTextError, match=f"written in {script}.*English or Chinese"):
        OfflineDiagramPlanner().plan(text, "Figure 1.", [])


def test_every_dev_case_gives_a_valid_connected_diagram_in_its_own_words() -> None:
    cases = json.loads(DEV.read_text())
    sizes = []
    for case in cases:
        spec = plan(case["source_context"], case["caption"])
        source = clean(case["source_context"]).lower()
        assert 4 <= len(spec["nodes"]) <= 16, case["id"]
        assert dangling(spec) == [], case["id"]
        for n in spec["nodes"]:
            assert len(n["label"].split()) <= MAX_LABEL_WORDS, (case["id"], n["label"])
            assert n.get("sublabel") != n["label"], (case["id"], n["label"])  # said twice
            missing = [w for w in n["label"].split() if not in_text(w, source)]
            assert missing == [], (case["id"], n["label"])
        sizes.append(len(spec["nodes"]))
        print(f"{case['id']:>14}: {len(spec['nodes']):2} nodes {len(spec['edges']):2} edges "
              f"{len(spec['groups'])} groups  " + " | ".join(n["label"] for n in spec["nodes"]))
    print(f"average nodes: {sum(sizes) / len(sizes):.1f} over {len(sizes)} cases")


def in_text(word: str, source: str) -> bool:
    """A label word is the text's: as written, singular or plural, or a '×N' repeat mark."""
    word = word.lower()
    if re.fullmatch(r"×\d+", word) or (has_cjk(word) and word in source):
        return True
    forms = {word, singular(word), word + "s", word + "es"}
    return any(re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", source) for f in forms)

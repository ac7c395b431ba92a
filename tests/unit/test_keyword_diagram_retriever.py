"""The keyword retriever ranks the archetype that fits a method's structure first."""

from __future__ import annotations

import pytest

from adapters.diagram_archetypes import ARCHETYPES
from adapters.keyword_diagram_retriever import KeywordDiagramRetriever
from application.diagrams.spec import DIRECTIONS, EDGE_KINDS, ROLES

CASES = {
    "encoder_decoder": "The encoder compresses the input image into a latent code, and the "
                       "decoder reconstructs the image from it.",
    "agent_loop": "The LLM agent observes the environment, chooses an action, calls a tool and "
                  "reads the observation; it repeats this loop until the task is solved.",
    "train_inference": "During training the model is optimized with a cross-entropy loss on "
                       "labelled data; at inference the trained model predicts labels at test "
                       "time without any loss.",
    "generator_discriminator": "A generator produces fake samples while a discriminator "
                               "separates real from fake samples in an adversarial game.",
    "retrieval_augmented": "Given a query, a dense retriever fetches passages from the corpus "
                           "index, and the reader generates the answer from the retrieved "
                           "passages.",
    "teacher_student": "A large teacher model supervises a compact student model through "
                       "knowledge distillation on soft labels.",
    "graph_message_passing": "Each node aggregates messages from its neighbors by message "
                             "passing over the adjacency matrix, and a readout pools node "
                             "states into a graph embedding.",
    "multi_branch_fusion": "An image branch and a text branch encode each modality in "
                           "parallel, and a fusion module fuses the two streams.",
    "client_server": "Each client trains locally and uploads its update to the server, which "
                     "aggregates the updates in federated learning.",
    "pipeline": "The pipeline has three stages: first the data is cleaned, then features are "
                "computed, and finally a report is written.",
}


@pytest.mark.parametrize("expected", sorted(CASES))
def test_the_fitting_archetype_ranks_first(expected: str) -> None:
    found = KeywordDiagramRetriever().retrieve(CASES[expected], "")
    assert found[0]["id"] == expected, [(a["id"], a["score"]) for a in found]


def test_chinese_text_is_ranked_too() -> None:
    found = KeywordDiagramRetriever().retrieve("首先，编码器将输入图像映射为特征，然后解码器生成分割掩码。", "")
    assert found[0]["id"] == "encoder_decoder"


def test_results_are_scored_best_first_within_the_limit() -> None:
    mixed = CASES["encoder_decoder"] + " " + CASES["train_inference"] + " " + CASES["pipeline"]
    found = KeywordDiagramRetriever().retrieve(mixed, "Figure 1", limit=2)
    assert len(found) == 2
    assert found[0]["score"] >= found[1]["score"] > 0
    assert {"id", "name", "keywords", "direction", "skeleton", "score"} <= found[0].keys()


def test_results_are_copies_and_text_without_cues_finds_nothing() -> None:
    found = KeywordDiagramRetriever().retrieve(CASES["encoder_decoder"], "")
    found[0]["skeleton"]["slots"].clear()
    assert ARCHETYPES[0]["skeleton"]["slots"]
    assert KeywordDiagramRetriever().retrieve("lorem ipsum dolor", "") == []


@pytest.mark.parametrize("archetype", ARCHETYPES, ids=lambda a: a["id"])
def test_each_archetype_is_well_formed(archetype: dict) -> None:
    assert archetype["direction"] in DIRECTIONS
    assert any(not k.isascii() for k in archetype["keywords"])
    slots = archetype["skeleton"]["slots"]
    names = {s["slot"] for s in slots}
    assert all(s["role"] in ROLES and s["cues"] for s in slots)
    assert all(e["source"] in names and e["target"] in names and e["kind"] in EDGE_KINDS
               for e in archetype["skeleton"]["edges"])
    assert all(word in archetype["keywords"] for pair in archetype["pairs"] for word in pair)

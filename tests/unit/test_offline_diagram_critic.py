"""The offline diagram critic: grounding in the text, connectivity, geometry, aspect."""

from __future__ import annotations

from adapters.diagram_geometry import edge_crossings, edges_through, overlapping_nodes
from adapters.offline_diagram_critic import OfflineDiagramCritic
from application.diagrams.description import describe
from application.diagrams.spec import edge, group, new_diagram, node, validate
from application.ports import RenderedFigure

TEXT = ("The image encoder maps the input image to features. The decoder predicts the mask. "
        "The loss compares the mask with the label and the encoder is refined iteratively.")
RENDERED = RenderedFigure(png=b"", svg=b"", width=0, height=0, scale=3)


def laid_out(spec: dict, boxes: dict[str, tuple[float, float, float, float]],
             routes: list[list[list[float]]] | None = None) -> dict:
    spec["style"] = {"label_size": 13, "node_padding": 8, "node_gap": 20, "rank_gap": 40}
    width = max(x + w for x, _, w, _ in boxes.values()) + 20
    height = max(y + h for _, y, _, h in boxes.values()) + 20
    spec["layout"] = {
        "width": width, "height": height,
        "nodes": {k: {"x": x, "y": y, "w": w, "h": h} for k, (x, y, w, h) in boxes.items()},
        "groups": {},
        "edges": [{"points": pts, "label_at": None} for pts in (routes or [
            [[0, 0], [1, 1]] for _ in spec["edges"]])],
    }
    return spec


def chain() -> dict:
    return new_diagram(
        [node("img", "input image", "input"), node("enc", "image encoder", "model"),
         node("dec", "decoder", "model"), node("mask", "mask", "output")],
        [edge("img", "enc"), edge("enc", "dec"), edge("dec", "mask"),
         edge("mask", "enc", "feedback", "refine")])


def wide_boxes() -> dict[str, tuple[float, float, float, float]]:
    return {"img": (20, 60, 110, 160), "enc": (170, 60, 120, 160), "dec": (330, 60, 100, 160),
            "mask": (470, 60, 80, 160)}


def review(spec: dict):
    return OfflineDiagramCritic().review(spec, RENDERED, TEXT, "Figure 2: Our model")


def test_a_grounded_connected_wide_diagram_needs_no_changes() -> None:
    critique = review(laid_out(chain(), wide_boxes()))
    assert critique.revised is None


def test_a_node_the_text_does_not_name_is_removed_and_bridged() -> None:
    spec = chain()
    spec["nodes"].insert(2, node("mag", "quantum magic", "operation"))
    spec["edges"] = [edge("img", "enc"), edge("enc", "mag"), edge("mag", "dec"),
                     edge("dec", "mask")]
    critique = review(laid_out(spec, {**wide_boxes(), "mag": (300, 250, 100, 40)}))
    labels = [n["label"] for n in critique.revised["nodes"]]
    assert "quantum magic" not in labels
    assert {"source": "enc", "target": "dec", "label": None, "kind": "data"} in critique.revised["edges"]
    assert validate(critique.revised) == []
    assert critique.revised["layout"] is None  # the pipeline lays out the revision again


def test_a_chinese_label_is_looked_up_in_the_text_written_without_spaces() -> None:
    spec = new_diagram([node("img", "输入图像", "input"), node("enc", "编码器", "model"),
                        node("dec", "解码器", "model"), node("mask", "分割掩码", "output"),
                        node("odd", "量子魔法", "operation")],
                       [edge("img", "enc"), edge("enc", "dec"), edge("dec", "odd"),
                        edge("odd", "mask")])
    critique = OfflineDiagramCritic().review(
        spec, RENDERED, "首先，编码器将输入图像映射为特征，然后解码器生成分割掩码。", "图1")
    assert [n["label"] for n in critique.revised["nodes"]] == ["输入图像", "编码器", "解码器",
                                                               "分割掩码"]


def test_a_dangling_node_is_linked() -> None:
    spec = chain()
    spec["nodes"].append(node("loss", "loss", "loss"))
    critique = review(laid_out(spec, {**wide_boxes(), "loss": (590, 60, 60, 160)}))
    assert any(e["target"] == "loss" or e["source"] == "loss" for e in critique.revised["edges"])


def test_overlapping_boxes_ask_for_more_room() -> None:
    boxes = {**wide_boxes(), "dec": (180, 70, 100, 160)}
    spec = laid_out(chain(), boxes)
    assert overlapping_nodes(spec) == [("dec", "enc")]
    critique = review(spec)
    assert critique.revised["style"]["node_gap"] > 20
    assert any("overlap" in note for note in critique.notes)


def test_a_tall_top_to_bottom_diagram_turns_left_to_right() -> None:
    spec = chain()
    spec["direction"] = "TB"
    boxes = {"img": (20, 20, 110, 40), "enc": (20, 100, 120, 40), "dec": (20, 180, 100, 40),
             "mask": (20, 260, 80, 40)}
    assert review(laid_out(spec, boxes)).revised["direction"] == "LR"


def test_crossings_are_counted_between_unrelated_edges() -> None:
    spec = new_diagram([node(k, k) for k in "abcd"], [edge("a", "b"), edge("c", "d")])
    spec = laid_out(spec, {k: (0, 0, 1, 1) for k in "abcd"},
                    routes=[[[0, 0], [10, 10]], [[0, 10], [10, 0]]])
    assert edge_crossings(spec) == 1


def test_edges_through_a_box_or_a_group_label_are_found_and_noted() -> None:
    spec = new_diagram([node("a", "a", group="g"), node("b", "b"), node("c", "c")],
                       [edge("a", "c"), edge("b", "c")], [group("g", "Encoding stage")])
    straight = [[0, 50], [100, 50], [200, 50], [300, 50]]  # a cubic along y = 50, left to right
    spec = laid_out(spec, {"a": (0, 30, 40, 40), "b": (140, 30, 40, 40), "c": (300, 30, 40, 40)},
                    routes=[straight, [[160, 200], [200, 200], [260, 200], [300, 200]]])
    assert edges_through(spec) == [(0, "b")]  # not its own ends a and c
    spec["layout"]["groups"] = {"g": {"x": 150, "y": 180, "w": 140, "h": 60, "label_h": 30}}
    spec["layout"]["edges"][1]["points"] = [[160, 190], [200, 195], [260, 195], [300, 50]]
    assert edges_through(spec) == [(0, "b"), (1, "g")]  # through "Encoding stage"
    spec["layout"]["groups"]["g"]["label_x"] = 400  # the label moved clear of the edge
    assert edges_through(spec) == [(0, "b")]
    assert any("run through a box" in note for note in review(spec).notes)


def test_description_walks_the_flow_and_the_loop() -> None:
    spec = chain()
    spec["groups"] = [group("g", "Segmentation")]
    spec["nodes"][1]["group"] = spec["nodes"][2]["group"] = "g"
    text = describe(spec)
    assert text.startswith("The diagram reads left to right and has 4 components.")
    assert "It starts from input image." in text
    assert '"Segmentation" group contains image encoder and decoder' in text
    spec["groups"] = [group("g", "(b)")]  # a comparison's panel
    assert "Panel (b) contains image encoder and decoder" in describe(spec)
    assert "A feedback loop returns from mask to image encoder (refine)." in text
    assert text.rstrip(".").endswith("It ends in mask")
    spec["edges"].reverse()  # the walk follows the nodes' flow, not the edges' listing
    walk = describe(spec)
    assert walk.index("input image feeds") < walk.index("image encoder feeds") \
        < walk.index("decoder feeds")


def test_description_names_a_sub_label_once_and_lists_targets_in_words() -> None:
    spec = new_diagram(
        [node("img", "Image", "input"), node("enc", "Image Encoder", "model", sublabel="ViT"),
         node("cls", "Classifier", "model"), node("map", "Attention Map", "output")],
        [edge("img", "enc"), edge("enc", "cls"), edge("enc", "map")])
    text = describe(spec)
    assert "Image feeds Image Encoder (ViT)." in text
    assert "Image Encoder feeds Classifier and Attention Map." in text


def test_a_long_flat_chain_is_wrapped_into_rows() -> None:
    ids = [f"s{i}" for i in range(8)]
    spec = new_diagram([node(i, "encoder") for i in ids],
                       [edge(a, b) for a, b in zip(ids, ids[1:])])
    boxes = {i: (20 + 150 * k, 20, 120, 40) for k, i in enumerate(ids)}
    critique = review(laid_out(spec, boxes))
    assert critique.revised["style"]["rows"] >= 2
    assert any("rows" in note for note in critique.notes)


def test_rows_the_layout_chose_are_not_wrapped_again() -> None:
    ids = [f"s{i}" for i in range(8)]
    spec = new_diagram([node(i, "encoder") for i in ids],
                       [edge(a, b) for a, b in zip(ids, ids[1:])])
    boxes = {i: (20 + 150 * k, 20, 120, 40) for k, i in enumerate(ids)}
    chosen = laid_out(spec, boxes)
    chosen["layout"]["rows"] = 1  # weighed against crossings: one row had none
    critique = review(chosen)
    assert not critique.revised.get("style", {}).get("rows")
    assert not any("rows" in note for note in critique.notes)

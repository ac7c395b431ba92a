"""The archetypes a methodology diagram usually follows, shipped as data.

The retriever ranks them against a text; the planner borrows the best one's skeleton to
order, group and close loops over the components it found. Shape of one archetype:

    {"id", "name", "direction": "LR" | "TB",
     "keywords": {word: weight}   # lowercase; English words match as word prefixes
     "pairs": [[keyword, keyword]]   # structure: both words of a pair present earn a bonus
     "skeleton": {
        "slots": [{"slot", "role", "cues": [word], "parallel": bool}],   # in reading order
        "groups": [{"label", "cues": [word]}],     # the sub-systems a node joins by its cues
        "edges": [{"source": slot, "target": slot, "kind"}]}}

A parallel slot holds sibling nodes (branches) that fan out from the node before them and
into the node after them, instead of following one another.
"""

from __future__ import annotations

from typing import Any


def _slot(slot: str, role: str, *cues: str, parallel: bool = False) -> dict[str, Any]:
    return {"slot": slot, "role": role, "cues": list(cues), "parallel": parallel}


def _edge(source: str, target: str, kind: str = "data") -> dict[str, str]:
    return {"source": source, "target": target, "kind": kind}


def _chain(*slots: str) -> list[dict[str, str]]:
    return [_edge(a, b) for a, b in zip(slots, slots[1:])]


ARCHETYPES: tuple[dict[str, Any], ...] = (
    {"id": "encoder_decoder", "name": "Encoder-decoder", "direction": "LR",
     "keywords": {"encoder": 2, "decoder": 2, "encode": 1, "decode": 1, "latent": 1,
                  "bottleneck": 1, "reconstruct": 1, "autoencoder": 2, "u-net": 2,
                  "编码器": 2, "解码器": 2, "重建": 1},
     "pairs": [["encoder", "decoder"], ["编码器", "解码器"]],
     "skeleton": {
         "slots": [_slot("input", "input", "input", "image", "text", "输入"),
                   _slot("encoder", "model", "encoder", "编码器"),
                   _slot("latent", "data", "latent", "feature", "representation", "code", "特征"),
                   _slot("decoder", "model", "decoder", "解码器"),
                   _slot("output", "output", "output", "reconstruct", "mask", "prediction",
                         "掩码", "输出")],
         "groups": [],
         "edges": _chain("input", "encoder", "latent", "decoder", "output")}},
    {"id": "pipeline", "name": "Pipeline of stages", "direction": "LR",
     "keywords": {"pipeline": 1.5, "stage": 1, "step": 0.5, "phase": 0.5, "first": 0.3,
                  "then": 0.3, "finally": 0.5, "followed by": 0.5, "subsequently": 0.5,
                  "流程": 1.5, "阶段": 1, "步骤": 1, "首先": 0.5, "然后": 0.5, "最后": 0.5},
     "pairs": [["first", "finally"], ["首先", "最后"]],
     "skeleton": {
         "slots": [_slot("input", "input", "input", "raw", "输入"),
                   _slot("stage", "operation", "stage", "step", "module", "阶段", "模块"),
                   _slot("output", "output", "output", "result", "输出", "结果")],
         "groups": [],
         "edges": _chain("input", "stage", "output")}},
    {"id": "agent_loop", "name": "Agent loop", "direction": "LR",
     "keywords": {"agent": 2, "tool": 1.5, "environment": 1.5, "observation": 1, "action": 1,
                  "reflect": 1, "planner": 1, "feedback": 1, "iterative": 1, "until": 1,
                  "loop": 1, "refine": 1, "trajector": 0.5, "rollout": 0.5,
                  "智能体": 2, "工具": 1, "环境": 1, "迭代": 1, "反馈": 1, "循环": 1},
     "pairs": [["agent", "tool"], ["action", "observation"], ["agent", "feedback"]],
     "skeleton": {
         "slots": [_slot("task", "input", "task", "query", "question", "instruction", "任务"),
                   _slot("agent", "agent", "agent", "llm", "policy", "planner", "solver",
                         "proposer", "智能体"),
                   _slot("action", "operation", "tool", "action", "search", "code", "工具"),
                   _slot("observation", "data", "observation", "feedback", "result",
                         "environment", "reward", "critic", "反馈", "环境"),
                   _slot("memory", "store", "memory", "history", "记忆"),
                   _slot("answer", "output", "answer", "response", "output", "答案")],
         "groups": [],
         "edges": [*_chain("task", "agent", "action", "observation"),
                   _edge("observation", "agent", "feedback"), _edge("agent", "answer")]}},
    {"id": "train_inference", "name": "Training / inference split", "direction": "LR",
     "keywords": {"training": 1.5, "inference": 1.5, "test time": 1.5, "train": 0.5,
                  "deploy": 1, "loss": 0.5, "fine-tun": 0.5, "训练": 1.5, "推理": 1.5,
                  "测试": 1},
     "pairs": [["training", "inference"], ["training", "test time"], ["训练", "推理"]],
     "skeleton": {
         "slots": [_slot("data", "input", "data", "dataset", "sample", "数据"),
                   _slot("model", "model", "model", "network", "模型"),
                   _slot("loss", "loss", "loss", "objective", "reward", "损失"),
                   _slot("output", "output", "prediction", "output", "预测")],
         "groups": [{"label": "Training", "cues": ["train", "loss", "objective", "训练"]},
                    {"label": "Inference", "cues": ["inference", "test", "deploy", "推理"]}],
         "edges": [*_chain("data", "model", "output"), _edge("model", "loss")]}},
    {"id": "client_server", "name": "Client-server", "direction": "LR",
     "keywords": {"client": 2, "server": 2, "request": 1, "federated": 2, "upload": 1,
                  "device": 1, "cloud": 1, "edge device": 1, "客户端": 2, "服务器": 2},
     "pairs": [["client", "server"], ["客户端", "服务器"]],
     "skeleton": {
         "slots": [_slot("client", "agent", "client", "device", "客户端", parallel=True),
                   _slot("update", "data", "update", "request", "gradient", "upload"),
                   _slot("server", "model", "server", "aggregat", "cloud", "服务器")],
         "groups": [{"label": "Client", "cues": ["client", "device", "local", "客户端"]},
                    {"label": "Server", "cues": ["server", "global", "cloud", "服务器"]}],
         "edges": [*_chain("client", "update", "server"), _edge("server", "client", "feedback")]}},
    {"id": "generator_discriminator", "name": "Generator-discriminator", "direction": "LR",
     "keywords": {"generator": 2, "discriminator": 2.5, "adversarial": 2, "gan": 2,
                  "fake": 1, "real": 0.5, "生成器": 2, "判别器": 2.5, "对抗": 2},
     "pairs": [["generator", "discriminator"], ["生成器", "判别器"]],
     "skeleton": {
         "slots": [_slot("noise", "input", "noise", "latent", "噪声"),
                   _slot("generator", "model", "generator", "生成器"),
                   _slot("sample", "data", "fake", "sample", "synthetic", "generated"),
                   _slot("discriminator", "model", "discriminator", "critic", "判别器"),
                   _slot("loss", "loss", "loss", "adversarial", "real", "损失")],
         "groups": [],
         "edges": [*_chain("noise", "generator", "sample", "discriminator", "loss"),
                   _edge("discriminator", "generator", "feedback")]}},
    {"id": "retrieval_augmented", "name": "Retrieval-augmented generation", "direction": "LR",
     "keywords": {"retriev": 2, "rag": 2, "corpus": 1, "knowledge base": 1.5, "passage": 1,
                  "document": 1, "rerank": 1.5, "index": 1, "query": 1, "generat": 0.5,
                  "检索": 2, "知识库": 1.5, "文档": 1, "生成": 0.3},
     "pairs": [["retriev", "generat"], ["query", "retriev"], ["检索", "生成"]],
     "skeleton": {
         "slots": [_slot("query", "input", "query", "question", "查询", "问题"),
                   _slot("retriever", "model", "retriev", "search", "检索"),
                   _slot("store", "store", "index", "database", "corpus", "knowledge", "memory",
                         "知识库", "数据库"),
                   _slot("context", "data", "passage", "document", "context", "evidence", "文档"),
                   _slot("generator", "model", "generator", "llm", "reader", "生成"),
                   _slot("answer", "output", "answer", "response", "答案")],
         "groups": [],
         "edges": [*_chain("query", "retriever", "context", "generator", "answer"),
                   _edge("store", "retriever", "optional")]}},
    {"id": "multi_branch_fusion", "name": "Multi-branch fusion", "direction": "LR",
     "keywords": {"branch": 2, "stream": 1, "fusion": 2, "fuse": 1.5, "concatenat": 1,
                  "multi-modal": 1.5, "multimodal": 1.5, "modalit": 1, "cross-attention": 1,
                  "parallel": 0.5, "融合": 2, "分支": 2, "多模态": 1.5},
     "pairs": [["branch", "fusion"], ["modalit", "fusion"], ["分支", "融合"]],
     "skeleton": {
         "slots": [_slot("input", "input", "input", "image", "text", "audio", "video", "输入"),
                   _slot("branch", "model", "branch", "stream", "encoder", "分支",
                         parallel=True),
                   _slot("fusion", "operation", "fusion", "fuse", "concat", "cross-attention",
                         "融合"),
                   _slot("head", "model", "head", "decoder", "classifier"),
                   _slot("output", "output", "output", "prediction", "输出")],
         "groups": [],
         "edges": _chain("input", "branch", "fusion", "head", "output")}},
    {"id": "teacher_student", "name": "Teacher-student distillation", "direction": "LR",
     "keywords": {"teacher": 2.5, "student": 2.5, "distill": 2, "soft label": 1,
                  "knowledge transfer": 1, "教师": 2.5, "学生": 2.5, "蒸馏": 2},
     "pairs": [["teacher", "student"], ["教师", "学生"]],
     "skeleton": {
         "slots": [_slot("input", "input", "input", "image", "text", "data", "输入"),
                   _slot("teacher", "model", "teacher", "教师", parallel=True),
                   _slot("student", "model", "student", "学生", parallel=True),
                   _slot("loss", "loss", "distill", "loss", "kl", "蒸馏", "损失")],
         "groups": [{"label": "Teacher", "cues": ["teacher", "教师"]},
                    {"label": "Student", "cues": ["student", "学生"]}],
         "edges": [_edge("input", "teacher"), _edge("input", "student"),
                   _edge("teacher", "loss"), _edge("student", "loss"),
                   _edge("loss", "student", "feedback")]}},
    {"id": "graph_message_passing", "name": "Graph neural network / message passing",
     "direction": "LR",
     "keywords": {"graph": 1, "gnn": 2, "gcn": 2, "message passing": 2.5, "neighbo": 1.5,
                  "adjacency": 1.5, "aggregat": 1, "node": 0.5, "edge": 0.5, "readout": 1.5,
                  "图神经网络": 2.5, "消息传递": 2.5, "邻居": 1.5, "节点": 0.5},
     "pairs": [["node", "neighbo"], ["message passing", "aggregat"], ["节点", "邻居"]],
     "skeleton": {
         "slots": [_slot("graph", "input", "graph", "图"),
                   _slot("embedding", "data", "embedding", "feature", "嵌入"),
                   _slot("message", "operation", "message", "aggregat", "gnn", "gcn",
                         "convolution", "消息"),
                   _slot("update", "operation", "update", "combine", "更新"),
                   _slot("readout", "operation", "readout", "pooling", "读出"),
                   _slot("output", "output", "prediction", "output", "classification", "输出")],
         "groups": [],
         "edges": [*_chain("graph", "embedding", "message", "update", "readout", "output"),
                   _edge("update", "message", "feedback")]}},
)

"""Weight-only int8 variant of an exported graph (4x smaller download; the same fp32 arithmetic at run time).

Every float weight matrix with at least `min_elements` values becomes int8 with one symmetric scale per output
row, plus a DequantizeLinear node (opset 13+, per-axis) that restores the float tensor under its old name. The
runtime folds those nodes into constants when it loads the session, so inference cost is unchanged; only the
file shrinks (what a Quest downloads over Wi-Fi). Activations stay float: on 4-frame ticks the cost is in node
overhead, not arithmetic, so integer kernels would buy little and cost accuracy.

  /usr/bin/python3 models/recipe/quantize.py models/hh-flow-s.tick4.onnx models/hh-flow-s.tick4.int8.onnx
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


def quantize_weights(src: str, dst: str, min_elements: int = 1024) -> dict:
    model = onnx.load(src)
    graph = model.graph
    keep, added_nodes, added_inits = [], [], []
    before = after = 0
    for init in graph.initializer:
        w = numpy_helper.to_array(init)
        before += w.nbytes
        if w.dtype != np.float32 or w.size < min_elements or w.ndim < 2:
            keep.append(init)
            after += w.nbytes
            continue
        # One scale per row of the leading axis (an output channel of a Linear/Conv weight, or of a MatMul's [in, out]
        # matrix the axis that has the most rows: either works, per-row keeps the error per output small).
        axis = 0 if w.shape[0] >= w.shape[-1] else w.ndim - 1
        amax = np.max(np.abs(w), axis=tuple(i for i in range(w.ndim) if i != axis))
        scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
        shape = [1] * w.ndim
        shape[axis] = -1
        q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
        name = init.name
        added_inits += [numpy_helper.from_array(q, name + "_q"), numpy_helper.from_array(scale, name + "_scale"),
                        numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_zero")]
        added_nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zero"], [name],
                                            name=name + "_dequantize", axis=axis))
        after += q.nbytes + scale.nbytes * 1.25
    del graph.initializer[:]
    graph.initializer.extend(keep + added_inits)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(added_nodes + nodes)  # dequantized weights first: the graph stays topologically sorted
    if max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) < 13:
        raise ValueError("per-axis DequantizeLinear needs opset >= 13")
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return {"weightBytesFp32": int(before), "weightBytesInt8": int(after), "quantizedTensors": len(added_nodes)}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: quantize.py <in.onnx> <out.onnx>")
    print(quantize_weights(sys.argv[1], sys.argv[2]))

"""The words of the errors a user can trigger: each names the function and the
argument, and is of one of the spec's kinds, never NumPy's or nanobind's.

test_bad_input.py checks that bad calls raise an allowed kind; this file checks
what the message says, family by family (issue 15, item 9): nanobind's dumps
of its overloads, NumPy's own messages leaking through, messages without the
function's name, byte-swapped NumPy input, NumPy's LinAlgError.
"""
from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import trueno as xp
from trueno._core import Function as NativeFunction

V = xp.asarray([1.0, 2.0, 3.0])
M = xp.asarray([[2.0, 1.0], [1.0, 3.0]])


def native_functions():
    """Every public native function of trueno and trueno.nn, and the native Array methods."""
    for module, prefix in ((xp, ""), (xp.nn, "nn.")):
        for name in sorted(dir(module)):
            value = getattr(module, name)
            if not name.startswith("_") and isinstance(value, NativeFunction):
                yield prefix + name, value
    for name, value in sorted(vars(xp.Array).items()):
        if isinstance(value, NativeFunction):
            yield "Array." + name, value


NATIVE = list(native_functions())


@pytest.mark.parametrize("name,func", NATIVE, ids=[n for n, _ in NATIVE])
def test_an_unknown_keyword_is_named_with_the_function(name, func):
    """nanobind's reply was a dump of the overloads and the argument types."""
    short = name.rsplit(".", 1)[-1]
    with pytest.raises(TypeError) as info:
        func(bogus=1)
    message = str(info.value)
    assert "incompatible function arguments" not in message
    # trueno's wording, or Python's own for the functions written in Python
    assert message.startswith((f"{short}(): ", f"{short}() ")) and "'bogus'" in message, message


# A valid value for each required parameter of the native functions, by name.
VALID = {
    "x": V, "x1": V, "x2": V, "a": V, "b": V, "c": V, "t": V, "other": V, "arg": V,
    "condition": xp.asarray([True, False, True]), "indices": xp.asarray([0]), "obj": [1.0],
    "dtype": xp.float32, "shape": (3,), "start": 0, "stop": 1, "num": 3, "n_rows": 2,
    "fill_value": 1.0, "source": 0, "destination": 0, "axes": (0,), "repeats": 2, "shift": 1,
    "repetitions": (2,), "name": xp.get_isa(), "n": 1, "memo": {}, "key": 0, "value": 1.0,
    "protocol": 2, "device": "cpu", "arrays": [V],
}


@pytest.mark.parametrize("name,func", NATIVE, ids=[n for n, _ in NATIVE])
def test_none_for_each_parameter_names_it(name, func):
    """None where a parameter does not take it: the function and the parameter, not a dump."""
    short = name.rsplit(".", 1)[-1]
    parameters = [p for p in inspect.signature(func).parameters.values()
                  if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    for p in parameters:
        if p.default is None:
            continue
        args, kwargs = [xp.asarray([1.0, 2.0, 3.0])] if name.startswith("Array.") else [], {}
        for q in parameters:
            value = None if q is p else VALID.get(q.name, q.default)
            if q.default is not inspect.Parameter.empty and q is not p:
                continue
            if q.kind is q.KEYWORD_ONLY or (q is p and q.kind is not q.POSITIONAL_ONLY):
                kwargs[q.name] = value
            else:
                args.append(value)
        try:
            func(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the message is what is checked
            message = str(e)
            assert "incompatible function arguments" not in message, (name, p.name, message)
            assert message.startswith((f"{short}(): ", f"{short}() ")), (name, p.name, message)
            assert p.name in message, (name, p.name, message)


# (call, exception kind, pattern the message must match)
CASES = {
    # nanobind's signature dumps
    "sort-axis-None": (lambda: xp.sort(V, axis=None), TypeError, r"^sort\(\): axis must be an integer"),
    "round-decimals": (lambda: xp.round(V, 2), TypeError, r"^round\(\): too many positional arguments"),
    "astype-copy-None": (lambda: xp.astype(V, xp.float32, copy=None), TypeError,
                         r"^astype\(\): copy must be a bool, got None"),
    "linspace-endpoint-str": (lambda: xp.linspace(0, 1, 3, endpoint="yes"), TypeError,
                              r"^linspace\(\): endpoint must be a bool, got str"),
    "gelu-approximate-int": (lambda: xp.nn.gelu(V, approximate=1), TypeError,
                             r"^gelu\(\): approximate must be 'none' or 'tanh', got int"),
    "reduce_ex-protocol-huge": (lambda: V.__reduce_ex__(2**70), TypeError,
                                r"^__reduce_ex__\(\): protocol is out of range"),
    "add-missing": (lambda: xp.add(V), TypeError, r"^add\(\): missing a required argument: 'x2'"),
    "to_device-missing": (lambda: V.to_device(), TypeError,
                          r"^to_device\(\): missing a required argument: 'device'"),
    # a failed nanobind cast inside a function (here a str that is not valid UTF-8)
    "set_isa-surrogate": (lambda: xp.set_isa("\udcff"), TypeError, r"^set_isa\(\): an argument has the wrong type"),
    # NumPy's own messages: operator.index of an array ("only integer scalar arrays ...")
    "sum-axis-ndarray": (lambda: xp.sum(V, axis=np.array([0, 1])), TypeError,
                         r"^sum\(\): axis must be an integer, got ndarray"),
    "sort-axis-ndarray": (lambda: xp.sort(V, axis=np.array([0.5])), TypeError,
                          r"^sort\(\): axis must be an integer, got ndarray"),
    "reshape-shape-ndarray": (lambda: xp.reshape(V, np.array([3.0])), TypeError,
                              r"^reshape\(\): shape must be an integer, got ndarray"),
    "zeros-shape-ndarray": (lambda: xp.zeros(np.array([2, 3])), TypeError,
                            r"^zeros\(\): shape must be an integer, got ndarray"),
    "softmax-axis-ndarray": (lambda: xp.nn.softmax(V, axis=np.array([0, 0])), TypeError,
                             r"^softmax\(\): axis must be an integer, got ndarray"),
    "roll-shift-ndarray": (lambda: xp.roll(V, np.array([1, 2])), TypeError,
                           r"^roll\(\): shift must be an integer, got ndarray"),
    # Python ints beyond every dtype: the function and the argument
    "add-huge-int": (lambda: xp.add(V, 2**70), OverflowError,
                     r"^add\(\): x2 .*1180591620717411303424.* too large"),
    "add-huge-negative": (lambda: xp.add(-(2**70), V), OverflowError, r"^add\(\): x1 .* too small"),
    "full-huge-fill": (lambda: xp.full(3, 2**70), OverflowError, r"^full\(\): fill_value .* too large"),
    "clip-huge-min": (lambda: xp.clip(V, min=2**70), OverflowError, r"^clip\(\): min .* too large"),
    "asarray-huge": (lambda: xp.asarray(2**70), OverflowError, r"^asarray\(\): obj .* too large"),
    "linspace-huge": (lambda: xp.linspace(2**70, 1, 3), OverflowError, r"^linspace\(\): start .* too large"),
    "sum-axis-huge": (lambda: xp.sum(V, axis=2**70), ValueError, r"^sum\(\): axis is too large"),
    "operator-huge": (lambda: V + 2**70, OverflowError, r"^add\(\): .* too large"),
    # a NumPy dtype trueno lacks (the message's own conversion failed: "an argument has the wrong type")
    "add-numpy-str": (lambda: xp.add(np.array(["a"]), V), TypeError,
                      r"^add\(\): x1 is a NumPy value of dtype <U1, which trueno does not support"),
    # indexing: the operator (or take) named, as every other function is
    "getitem-str": (lambda: V["a"], IndexError, r"^__getitem__\(\): only integers, slices"),
    "setitem-str": (lambda: V.__setitem__("a", 1.0), IndexError, r"^__setitem__\(\): only integers, slices"),
    "getitem-float-array": (lambda: V[np.array([0.5])], IndexError,
                            r"^__getitem__\(\): arrays used as indices must be of integer or boolean type"),
    "getitem-out-of-bounds": (lambda: V[5], IndexError, r"^__getitem__\(\): index 5 is out of bounds for axis 0"),
    "setitem-out-of-bounds": (lambda: V.__setitem__(-4, 1.0), IndexError,
                              r"^__setitem__\(\): index -4 is out of bounds for axis 0"),
    "getitem-array-out-of-bounds": (lambda: V[xp.asarray([0, 7])], IndexError,
                                    r"^__getitem__\(\): index 7 is out of bounds"),
    "getitem-huge": (lambda: V[2**70], IndexError, r"^__getitem__\(\): index 1180591620717411303424 is out of bounds"),
    "getitem-too-many": (lambda: V[0, 0], IndexError, r"^__getitem__\(\): too many indices"),
    "getitem-two-ellipses": (lambda: V[..., ...], IndexError, r"^__getitem__\(\): an index can only have a single ellipsis"),
    "getitem-step-zero": (lambda: V[::0], ValueError, r"^__getitem__\(\): slice step cannot be zero"),
    "getitem-slice-ndarray": (lambda: V[np.array([0, 1]):], TypeError,
                              r"^__getitem__\(\): slice indices must be integers or None, got ndarray"),
    "getitem-bool-mask-shape": (lambda: V[xp.asarray([True, False])], IndexError,
                                r"^__getitem__\(\): boolean index of shape \(2,\)"),
    "take-out-of-bounds": (lambda: xp.take(V, xp.asarray([0, 9])), IndexError, r"^take\(\): index 9 is out of bounds"),
    "take-int-out-of-bounds": (lambda: xp.take(V, -5), IndexError, r"^take\(\): index -5 is out of bounds"),
    "permute_dims-axis-beyond-int": (lambda: xp.permute_dims(M, (2**40, 0)), IndexError,
                                     r"^permute_dims\(\): axes 1099511627776 is out of bounds"),
    "set_num_threads-ndarray": (lambda: xp.set_num_threads(np.array([1, 2])), TypeError,
                                r"^set_num_threads\(\): n must be an int, got ndarray"),
    "finfo-None": (lambda: xp.finfo(None), TypeError, r"^finfo\(\): type must be a dtype"),
    "can_cast-None": (lambda: xp.can_cast(xp.int8, None), TypeError, r"^can_cast\(\): to must be a dtype"),
    "isdtype-None": (lambda: xp.isdtype(None, "integral"), TypeError, r"^isdtype\(\): dtype must be a dtype"),
    "diff-prepend-huge": (lambda: xp.diff(V, prepend=2**70), OverflowError, r"^diff\(\): prepend is the Python integer"),
    "repeat-huge": (lambda: xp.repeat(V, 2**70), ValueError, r"^repeat\(\): the result would have more elements"),
    # linalg and fft arguments that reached NumPy unchecked
    "cholesky-upper-ndarray": (lambda: xp.linalg.cholesky(M, upper=np.array([True, False])), TypeError,
                               r"^linalg\.cholesky\(\): upper must be a bool, got ndarray"),
    "svd-full_matrices-str": (lambda: xp.linalg.svd(M, full_matrices="yes"), TypeError,
                              r"^linalg\.svd\(\): full_matrices must be a bool, got str"),
    "matrix_norm-keepdims-None": (lambda: xp.linalg.matrix_norm(M, keepdims=None), TypeError,
                                  r"^linalg\.matrix_norm\(\): keepdims must be a bool, got NoneType"),
    "matrix_norm-ord-ndarray": (lambda: xp.linalg.matrix_norm(M, ord=np.array([1, 2])), TypeError,
                                r"^linalg\.matrix_norm\(\): ord must be"),
    "vector_norm-ord-huge": (lambda: xp.linalg.vector_norm(V, ord=2**70), ValueError,
                             r"^linalg\.vector_norm\(\): ord .*too large"),
    "vector_norm-keepdims-ndarray": (lambda: xp.linalg.vector_norm(V, keepdims=np.array([1, 0])), TypeError,
                                     r"^linalg\.vector_norm\(\): keepdims must be a bool"),
    "qr-mode-ndarray": (lambda: xp.linalg.qr(M, mode=np.array(["a", "b"])), TypeError,
                        r"^linalg\.qr\(\): mode must be 'reduced' or 'complete', got ndarray"),
    "fft-norm-ndarray": (lambda: xp.fft.fft(V, norm=np.array([1, 2])), TypeError,
                         r"^fft\.fft\(\): norm must be one of .*, got ndarray"),
    "fft-n-huge": (lambda: xp.fft.fft(V, n=2**70), ValueError, r"^fft\.fft\(\): n .*too large"),
    "ifft-n-huge": (lambda: xp.fft.ifft(V, n=2**62), ValueError, r"^fft\.ifft\(\): n .*too large"),
    "fftn-s-int": (lambda: xp.fft.fftn(V, s=3), TypeError, r"^fft\.fftn\(\): s must be a tuple of ints, got int"),
    "fftn-s-huge": (lambda: xp.fft.fftn(V, s=(2**70,)), ValueError, r"^fft\.fftn\(\): an entry of s is too large"),
    "fftfreq-n-huge": (lambda: xp.fft.fftfreq(2**70), ValueError, r"^fft\.fftfreq\(\): n .*too large"),
    "fftfreq-d-str": (lambda: xp.fft.fftfreq(4, d="a"), TypeError, r"^fft\.fftfreq\(\): d must be a real number, got str"),
    "rfftfreq-d-ndarray": (lambda: xp.fft.rfftfreq(4, d=np.array([1.0, 2.0])), TypeError,
                           r"^fft\.rfftfreq\(\): d must be a real number, got ndarray"),
    "fftfreq-d-zero": (lambda: xp.fft.fftfreq(4, d=0.0), ValueError, r"^fft\.fftfreq\(\): d must not be zero"),
}


@pytest.mark.parametrize("case", CASES)
def test_message(case):
    call, kind, pattern = CASES[case]
    with pytest.raises(kind) as info:
        call()
    assert type(info.value).__module__ in ("builtins", "trueno", "trueno.linalg"), type(info.value)
    assert re.search(pattern, str(info.value)), str(info.value)


# ---- NumPy arrays in the other byte order ------------------------------------------
# nanobind cannot view them; NumPy converts them, and so does trueno wherever a copy
# is allowed (asarray's copy=None, operands); copy=False asks for a view that cannot be.

SWAPPED = {
    ">f8": np.array([1.5, -2.0, 3.25], dtype=">f8"),
    ">i4": np.array([1, -2, 70000], dtype=">i4"),
    ">u2": np.array([1, 2, 65535], dtype=">u2"),
    ">c8": np.array([1 + 2j, -3j, 4], dtype=">c8"),
    ">f4-2d-strided": np.arange(12, dtype=">f4").reshape(3, 4)[:, ::2],
}


@pytest.mark.parametrize("name", SWAPPED)
def test_asarray_converts_byte_swapped_input_to_native_order(name):
    source = SWAPPED[name]
    for copy in (None, True):
        out = xp.asarray(source, copy=copy)
        assert out.dtype == source.dtype.newbyteorder("=")
        np.testing.assert_array_equal(np.asarray(out), source)
    assert xp.asarray(memoryview(np.ascontiguousarray(source))).shape == source.shape


@pytest.mark.parametrize("name", SWAPPED)
def test_asarray_copy_false_refuses_byte_swapped_input(name):
    with pytest.raises(ValueError, match=r"^asarray\(\): obj .*byte order.*copy"):
        xp.asarray(SWAPPED[name], copy=False)


def test_byte_swapped_operands_are_converted():
    swapped = SWAPPED[">f8"]
    expected = np.asarray(swapped) + np.asarray(V)
    np.testing.assert_array_equal(np.asarray(xp.add(swapped, V)), expected)
    np.testing.assert_array_equal(np.asarray(V + swapped), expected)
    np.testing.assert_array_equal(np.asarray(xp.take(V, np.array([2, 0], dtype=">i8"))), [3.0, 1.0])
    np.testing.assert_array_equal(np.asarray(V[np.array([2, 0], dtype=">i8")]), [3.0, 1.0])
    y = xp.zeros(3)
    y[...] = swapped
    np.testing.assert_array_equal(np.asarray(y), swapped)


def test_from_dlpack_copy_false_refuses_byte_swapped_input():
    swapped = SWAPPED[">f8"]
    np.testing.assert_array_equal(np.asarray(xp.from_dlpack(swapped, copy=True)), swapped)
    with pytest.raises((ValueError, BufferError), match=r"from_dlpack\(\)|byte order"):
        xp.from_dlpack(swapped, copy=False)


# ---- LinAlgError ------------------------------------------------------------------------
# trueno.linalg raises its own LinAlgError, a subclass of NumPy's (itself a ValueError),
# so code catching any of the three keeps working; the message names the function.

SINGULAR = xp.asarray([[1.0, 2.0], [2.0, 4.0]])

LINALG_FAILURES = {
    "inv": (lambda: xp.linalg.inv(SINGULAR), r"^linalg\.inv\(\): x is singular"),
    "solve": (lambda: xp.linalg.solve(SINGULAR, xp.ones(2)), r"^linalg\.solve\(\): x1 is singular"),
    "cholesky": (lambda: xp.linalg.cholesky(-xp.eye(2)), r"^linalg\.cholesky\(\): x is not positive definite"),
    "matrix_power": (lambda: xp.linalg.matrix_power(SINGULAR, -1), r"^linalg\.matrix_power\(\): x is singular"),
    "batch": (lambda: xp.linalg.inv(xp.stack([xp.eye(2), SINGULAR])), r"^linalg\.inv\(\): x is singular"),
}


@pytest.mark.parametrize("case", LINALG_FAILURES)
def test_linalg_failures_raise_trueno_linalg_error(case):
    call, pattern = LINALG_FAILURES[case]
    with pytest.raises(xp.linalg.LinAlgError, match=pattern) as info:
        call()
    assert isinstance(info.value, np.linalg.LinAlgError) and isinstance(info.value, ValueError)
    assert info.value.__cause__ is None  # NumPy's own traceback is not part of the story


def test_linalg_error_is_documented_and_typed():
    assert xp.linalg.LinAlgError.__module__ == "trueno.linalg"
    assert "LinAlgError" in xp.linalg.__doc__
    assert "LinAlgError" not in xp.linalg.__all__  # __all__ lists the spec's functions


# ---- optional dependencies ------------------------------------------------------------

def test_llm_without_regex_says_which_extra_to_install(monkeypatch):
    """trueno.llm's byte-level BPE tokenizer needs the third-party `regex` module (the
    llm extra); without it the error said only "No module named 'regex'"."""
    from trueno.llm import Tokenizer

    monkeypatch.setitem(__import__("sys").modules, "regex", None)  # import regex fails
    metadata = {"tokenizer.ggml.model": "gpt2", "tokenizer.ggml.tokens": ["a", "b", "ab"],
                "tokenizer.ggml.merges": ["a b"]}
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'trueno\[llm\]'") as info:
        Tokenizer(metadata)
    assert info.value.name == "regex"  # still what code that checks the missing module reads


# ---- NumPy's ndarray methods (trueno/_numpy_protocols.py) ------------------------------
# Extensions for NumPy code and engines; their errors name Array.<method> too.

NDARRAY_METHOD_CASES = {
    "unknown-keyword": (lambda: V.std(bogus=1), TypeError, r"^Array\.std\(\) got an unexpected keyword argument 'bogus'"),
    "extra-positional": (lambda: V.conj(1), TypeError, r"^Array\.conj\(\) takes 1 positional argument"),
    "out-type": (lambda: V.sum(out=3), TypeError, r"^Array\.sum\(\): out must be a trueno or NumPy array, got int"),
    "unsupported": (lambda: V.sum(initial=0), TypeError,
                    r"^Array\.sum\(\): trueno does not support these arguments: initial=0"),
    "sort-order": (lambda: V.sort(order="x"), TypeError, r"^Array\.sort\(\): trueno does not support"),
    "swapaxes-str": (lambda: M.swapaxes("a", 0), TypeError, r"^swapaxes\(\): axis1 must be an integer, got str"),
    "swapaxes-bounds": (lambda: M.swapaxes(0, 5), IndexError, r"^swapaxes\(\): axis2 5 is out of bounds"),
}


@pytest.mark.parametrize("case", NDARRAY_METHOD_CASES)
def test_ndarray_method_messages(case):
    call, kind, pattern = NDARRAY_METHOD_CASES[case]
    with pytest.raises(kind, match=pattern):
        call()

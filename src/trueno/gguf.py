"""GGUF model files: metadata, tensor infos and memory-mapped tensors.

trueno's own reader of GGUF versions 2 and 3 (little-endian), the file format
of llama.cpp. The file is memory-mapped read-only; nothing is copied until a
tensor is asked for, and quantized weights can be used by :func:`linear`
without ever expanding a whole weight to float32 (here a tiny llama model
with Q8_0 weights; a real one has a (32000, 4096) embedding)::

    >>> import trueno as xp
    >>> import trueno.gguf
    >>> with trueno.gguf.load(path) as f:
    ...     f.metadata["general.architecture"]
    ...     f.tensors["token_embd.weight"].shape      # NumPy order
    ...     emb = f.array("token_embd.weight")        # float32 trueno array
    ...     w = f.quantized("blk.0.attn_q.weight")    # QuantizedTensor
    'llama'
    (655, 32)
    >>> x = emb[:2]
    >>> trueno.gguf.linear(x, w).shape                # x @ w.T, dequantized on the fly
    (2, 32)

Shapes are NumPy-style, row-major: GGUF stores dimensions innermost first
(``ne[0]`` is the length of a row), so ``TensorInfo.shape`` is that list
reversed, and a ``[rows, cols]`` weight holds ``rows`` quantized rows of
``cols`` values each.

Every offset, size and count read from the file is checked against the file
before it is used: a truncated, corrupt or hostile file raises ``ValueError``
naming what was wrong and the byte offset where it was read; a tensor type
trueno cannot compute with raises ``NotImplementedError`` naming the type.
"""
from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core

__all__ = ["load", "GGUFFile", "TensorInfo", "QuantizedTensor", "linear", "dequantize",
           "GGML_TYPES"]

_quant = _core.quant

_MAGIC = b"GGUF"
_DEFAULT_ALIGNMENT = 32
_MAX_DIMS = 4            # GGML_MAX_DIMS: llama.cpp refuses more
_MAX_ARRAY_NESTING = 8   # arrays of arrays are legal; a deeper chain is hostile

#: The ggml tensor types: type id -> (name, values per block, bytes per block).
#: The reader knows them all; :meth:`GGUFFile.quantized` and :func:`linear`
#: compute with F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K and Q6_K.
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 36),
    10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1), 25: ("I16", 1, 2),
    26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8), 29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66), 39: ("MXFP4", 32, 17),
}
# Types whose values are plain little-endian numbers: exposed as zero-copy views.
_PLAIN_TYPES = {"F32": "<f4", "F64": "<f8", "I8": "<i1", "I16": "<i2", "I32": "<i4", "I64": "<i8"}
# Types the native kernels dequantize and multiply (ggml ids, as _core.quant takes them).
_KERNEL_TYPES = frozenset(name for name in ("F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0",
                                            "Q5_1", "Q4_K", "Q5_K", "Q6_K"))
_TYPE_IDS = {name: type_id for type_id, (name, _, _) in GGML_TYPES.items()}

# Metadata value types: id -> (name, struct format or None for string/array).
_VALUE_TYPES: dict[int, tuple[str, str | None]] = {
    0: ("uint8", "<B"), 1: ("int8", "<b"), 2: ("uint16", "<H"), 3: ("int16", "<h"),
    4: ("uint32", "<I"), 5: ("int32", "<i"), 6: ("float32", "<f"), 7: ("bool", "<?"),
    8: ("string", None), 9: ("array", None), 10: ("uint64", "<Q"), 11: ("int64", "<q"),
    12: ("float64", "<d"),
}
_NUMPY_OF_VALUE_TYPE = {0: "<u1", 1: "<i1", 2: "<u2", 3: "<i2", 4: "<u4", 5: "<i4", 6: "<f4",
                        10: "<u8", 11: "<i8", 12: "<f8"}
_STRING, _ARRAY, _BOOL = 8, 9, 7
# Fewest bytes one value of each type occupies, to bound counts before looping.
_MIN_VALUE_BYTES = {t: (struct.calcsize(f) if f else (8 if t == _STRING else 12))
                    for t, (_, f) in _VALUE_TYPES.items()}


@dataclass(frozen=True)
class TensorInfo:
    """Where a tensor lives in the file and what it holds.

    The values of :attr:`GGUFFile.tensors`, made by the reader (each
    parameter is also a read-only attribute).

    Parameters
    ----------
    name : str
        The tensor's name in the file (``"blk.0.attn_q.weight"``).
    shape : tuple of int
        NumPy-style shape: GGUF's dimensions reversed, so the last is the
        length of a row.
    type : str
        The ggml type name: ``"F32"``, ``"F16"``, ``"Q8_0"``, ``"Q4_K"``, ... (the
        names of :data:`GGML_TYPES`).
    type_id : int
        The ggml type's number (a key of :data:`GGML_TYPES`).
    offset : int
        Absolute byte offset of the tensor's data in the file.
    nbytes : int
        Size of the tensor's data in the file, in bytes.

    Examples
    --------
    >>> import trueno.gguf
    >>> with trueno.gguf.load(path) as f:
    ...     info = f.tensors["blk.0.ffn_up.weight"]
    >>> info.shape, info.type, info.nbytes
    ((64, 32), 'Q8_0', 2176)
    """
    name: str
    shape: tuple[int, ...]
    type: str
    type_id: int
    offset: int
    nbytes: int

    @property
    def size(self) -> int:
        """Number of values (product of the shape).

        Returns
        -------
        int

        Examples
        --------
        >>> import trueno.gguf
        >>> with trueno.gguf.load(path) as f:
        ...     f.tensors["blk.0.ffn_up.weight"].size
        2048
        """
        n = 1
        for d in self.shape:
            n *= d
        return n


class _Cursor:
    """Reads little-endian fields from the mapped file, checking every length."""

    def __init__(self, buf, size: int):
        self.buf = buf
        self.size = size
        self.pos = 0

    def need(self, nbytes: int, what: str) -> int:
        start = self.pos
        if nbytes < 0 or nbytes > self.size - start:
            raise ValueError(f"GGUF: {what} at byte {start} needs {nbytes} bytes, "
                             f"but the file ends at byte {self.size} (truncated or corrupt)")
        self.pos = start + nbytes
        return start

    def unpack(self, fmt: str, what: str):
        start = self.need(struct.calcsize(fmt), what)
        return struct.unpack_from(fmt, self.buf, start)[0]

    def u32(self, what: str) -> int:
        return self.unpack("<I", what)

    def u64(self, what: str) -> int:
        return self.unpack("<Q", what)

    def string(self, what: str) -> str:
        at = self.pos
        length = self.u64(f"length of {what}")
        start = self.need(length, f"{what} ({length} bytes)")
        try:
            return bytes(self.buf[start:start + length]).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"GGUF: {what} at byte {at} is not valid UTF-8 ({e.reason})") from None

    def check_count(self, count: int, min_bytes_each: int, what: str, at: int) -> None:
        # Untrusted counts are bounded by what the rest of the file could hold
        # before anything is allocated or looped over.
        if count > (self.size - self.pos) // max(min_bytes_each, 1):
            raise ValueError(f"GGUF: {what} at byte {at} is {count}, more than the "
                             f"{self.size - self.pos} bytes left in the file can hold")


def _read_value(cur: _Cursor, value_type: int, what: str, depth: int = 0,
                keep_arrays: bool = True) -> Any:
    """The value at the cursor. With `keep_arrays` False an array is checked
    (lengths, bounds, UTF-8 is not) and stepped over, and None returned: the
    vocabulary's tens of thousands of Python strings are the bulk of a
    model's header and stay in the process's heap after they are freed."""
    if value_type == _STRING:
        return cur.string(what)
    if value_type == _ARRAY:
        at = cur.pos
        element_type = cur.u32(f"element type of array {what}")
        if element_type not in _VALUE_TYPES:
            raise ValueError(f"GGUF: array {what} at byte {at} has unknown element type "
                             f"{element_type}")
        count_at = cur.pos
        count = cur.u64(f"length of array {what}")
        cur.check_count(count, _MIN_VALUE_BYTES[element_type], f"length of array {what}", count_at)
        if element_type == _ARRAY:
            if depth + 1 >= _MAX_ARRAY_NESTING:
                raise ValueError(f"GGUF: array {what} at byte {at} nests arrays more than "
                                 f"{_MAX_ARRAY_NESTING} deep")
            items = [_read_value(cur, _ARRAY, f"{what}[{i}]", depth + 1, keep_arrays)
                     for i in range(count)]
            return items if keep_arrays else None
        if element_type == _STRING:
            if not keep_arrays:
                for i in range(count):
                    length = cur.u64(f"length of {what}[{i}]")
                    cur.need(length, f"{what}[{i}] ({length} bytes)")
                return None
            return [cur.string(f"{what}[{i}]") for i in range(count)]
        dtype = np.dtype(_NUMPY_OF_VALUE_TYPE.get(element_type, "<u1"))
        start = cur.need(count * dtype.itemsize, f"values of array {what}")
        if not keep_arrays:
            return None
        values = np.frombuffer(cur.buf, dtype=dtype, count=count, offset=start)
        if element_type == _BOOL:
            return [bool(v) for v in values]
        return values.tolist()
    fmt = _VALUE_TYPES[value_type][1]
    at = cur.pos
    value = cur.unpack(fmt, what)
    if value_type == _BOOL:
        raw = cur.buf[at]
        if raw not in (0, 1):
            raise ValueError(f"GGUF: bool {what} at byte {at} holds {raw}, not 0 or 1")
    return value


class GGUFFile:
    """An opened GGUF file. Use :func:`load` to make one.

    A context manager: leaving the ``with`` block calls :meth:`close`, which
    releases the mapping once no array made from it is alive (arrays and
    QuantizedTensors keep the mapping they view alive).

    Parameters
    ----------
    path : str or os.PathLike
        The file to open (memory-mapped, read-only).
    metadata_arrays : bool, default True
        False leaves array-valued metadata out of ``metadata`` (see
        :func:`load`).

    Attributes
    ----------
    path : str
        The file's path.
    version : int
        The GGUF version, 2 or 3.
    metadata : dict of str to object
        Key -> Python value: int, float, bool, str or (nested) lists. A file
        opened with ``metadata_arrays=False`` has no array values here.
    metadata_types : dict of str to str
        Key -> GGUF value type name (``"uint32"``, ``"string"``,
        ``"array[uint32]"``, ...), for every key.
    tensors : dict of str to TensorInfo
        Name -> :class:`TensorInfo`, in file order.
    alignment : int
        The alignment of tensor data (``general.alignment``, default 32).
    data_offset : int
        Byte offset where the tensor data section starts.

    Raises
    ------
    OSError, ValueError, NotImplementedError
        As :func:`load`: a file that cannot be opened, is not a valid GGUF
        file, or holds a tensor type no reader knows.

    Examples
    --------
    >>> import trueno.gguf
    >>> with trueno.gguf.load(path) as f:
    ...     print(f.version, f.metadata["llama.block_count"], len(f.tensors))
    ...     print(f.metadata_types["tokenizer.ggml.tokens"])
    3 1 12
    array[string]
    """

    def __init__(self, path: str | os.PathLike, metadata_arrays: bool = True):
        self.path = os.fspath(path)
        self._keep_arrays = bool(metadata_arrays)
        with open(self.path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                raise ValueError(f"GGUF: {self.path} is empty")
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            self._parse(self._map, size)
        except BaseException:
            self._map.close()
            raise
        self._bytes = np.frombuffer(self._map, dtype=np.uint8)
        self._bytes.flags.writeable = False

    # -- parsing ---------------------------------------------------------
    def _parse(self, buf, size: int) -> None:
        cur = _Cursor(buf, size)
        magic_at = cur.need(4, "magic")
        magic = bytes(buf[magic_at:magic_at + 4])
        if magic != _MAGIC:
            raise ValueError(f"GGUF: bad magic {magic!r} at byte 0 (expected b'GGUF'): "
                             "not a GGUF file")
        version = cur.u32("version")
        if version not in (2, 3):
            swapped = int.from_bytes(version.to_bytes(4, "little"), "big")
            if swapped in (1, 2, 3):
                raise ValueError(f"GGUF: version field at byte 4 reads {swapped} only as "
                                 "big-endian: big-endian GGUF files are not supported")
            if version == 1:
                raise ValueError("GGUF: version 1 (at byte 4) is not supported; convert the file "
                                 "to GGUF v3")
            raise ValueError(f"GGUF: unknown version {version} at byte 4 (2 and 3 are supported)")
        self.version = version
        tensor_count_at = cur.pos
        tensor_count = cur.u64("tensor count")
        kv_count_at = cur.pos
        kv_count = cur.u64("metadata key-value count")
        # A key-value pair takes at least 13 bytes, a tensor info at least 24.
        cur.check_count(kv_count, 13, "metadata key-value count", kv_count_at)
        cur.check_count(tensor_count, 24, "tensor count", tensor_count_at)

        metadata: dict[str, Any] = {}
        metadata_types: dict[str, str] = {}
        for i in range(kv_count):
            key_at = cur.pos
            key = cur.string(f"key of metadata entry {i}")
            if key in metadata:
                raise ValueError(f"GGUF: duplicate metadata key {key!r} at byte {key_at}")
            type_at = cur.pos
            value_type = cur.u32(f"value type of {key!r}")
            if value_type not in _VALUE_TYPES:
                raise ValueError(f"GGUF: metadata {key!r} has unknown value type {value_type} "
                                 f"at byte {type_at}")
            if value_type == _ARRAY:
                element_type = cur.unpack("<I", f"element type of {key!r}")
                cur.pos -= 4
                type_name = f"array[{_VALUE_TYPES.get(element_type, ('?',))[0]}]"
            else:
                type_name = _VALUE_TYPES[value_type][0]
            value = _read_value(cur, value_type, repr(key), keep_arrays=self._keep_arrays)
            metadata_types[key] = type_name
            if value is not None:
                metadata[key] = value
        self.metadata = metadata
        self.metadata_types = metadata_types

        alignment = metadata.get("general.alignment", _DEFAULT_ALIGNMENT)
        if "general.alignment" in metadata and metadata_types["general.alignment"] != "uint32":
            raise ValueError("GGUF: general.alignment must be a uint32, got "
                             f"{metadata_types['general.alignment']}")
        if alignment <= 0 or alignment & (alignment - 1):
            raise ValueError(f"GGUF: general.alignment {alignment} is not a power of two")
        self.alignment = alignment

        raw_infos = []
        names: set[str] = set()
        for i in range(tensor_count):
            info_at = cur.pos
            name = cur.string(f"name of tensor {i}")
            if name in names:
                raise ValueError(f"GGUF: duplicate tensor name {name!r} at byte {info_at}")
            names.add(name)
            ndim_at = cur.pos
            ndim = cur.u32(f"dimension count of tensor {name!r}")
            if ndim > _MAX_DIMS:
                raise ValueError(f"GGUF: tensor {name!r} has {ndim} dimensions at byte {ndim_at} "
                                 f"(at most {_MAX_DIMS})")
            dims_at = cur.pos
            dims = [cur.u64(f"dimension {k} of tensor {name!r}") for k in range(ndim)]
            type_at = cur.pos
            type_id = cur.u32(f"type of tensor {name!r}")
            offset_at = cur.pos
            offset = cur.u64(f"data offset of tensor {name!r}")
            raw_infos.append((name, dims, dims_at, type_id, type_at, offset, offset_at))

        data_offset = -(-cur.pos // alignment) * alignment
        if not raw_infos:
            # A vocabulary-only file (llama.cpp writes and reads them) ends
            # right after its metadata, without padding to a data section.
            data_offset = min(data_offset, size)
        if data_offset > size:
            raise ValueError(f"GGUF: the tensor data section would start at byte {data_offset}, "
                             f"past the end of the file ({size} bytes)")
        self.data_offset = data_offset

        tensors: dict[str, TensorInfo] = {}
        for name, dims, dims_at, type_id, type_at, offset, offset_at in raw_infos:
            if type_id not in GGML_TYPES:
                raise NotImplementedError(f"GGUF: tensor {name!r} has unknown ggml type {type_id} "
                                          f"(at byte {type_at})")
            type_name, block_values, block_bytes = GGML_TYPES[type_id]
            count = 1
            for d in dims:
                count *= d
                if count >= 2**63:
                    raise ValueError(f"GGUF: tensor {name!r}: the product of its dimensions "
                                     f"{dims} (at byte {dims_at}) overflows")
            if not dims and block_values > 1:
                raise ValueError(f"GGUF: tensor {name!r} of block type {type_name} has no "
                                 f"dimensions (at byte {dims_at - 4})")
            if dims and dims[0] % block_values:
                raise ValueError(f"GGUF: tensor {name!r} of type {type_name} has rows of "
                                 f"{dims[0]} values (at byte {dims_at}), not a multiple of its "
                                 f"block size {block_values}")
            nbytes = count // block_values * block_bytes
            if offset % alignment:
                raise ValueError(f"GGUF: tensor {name!r} data offset {offset} (at byte "
                                 f"{offset_at}) is not a multiple of the alignment {alignment}")
            if offset > size - data_offset or nbytes > size - data_offset - offset:
                raise ValueError(f"GGUF: tensor {name!r} data [{data_offset + offset}, "
                                 f"{data_offset + offset + nbytes}) (offset read at byte "
                                 f"{offset_at}) runs past the end of the file ({size} bytes)")
            tensors[name] = TensorInfo(name, tuple(reversed(dims)), type_name, type_id,
                                       data_offset + offset, nbytes)
        self.tensors = tensors

    # -- access ----------------------------------------------------------
    def _info(self, name: str) -> TensorInfo:
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        if self._bytes is None:
            raise ValueError(f"GGUF: {self.path} is closed")
        try:
            return self.tensors[name]
        except KeyError:
            raise KeyError(f"no tensor named {name!r} in {self.path}") from None

    def _raw(self, info: TensorInfo) -> np.ndarray:
        return self._bytes[info.offset:info.offset + info.nbytes]

    def array(self, name: str):
        """The tensor `name` as a float32 (or its own integer/float64) trueno array.

        F32, F64 and the integer types are zero-copy read-only views of the
        mapped file (copied only if the file misaligns them); F16 and BF16 are
        converted to float32, quantized types dequantized to float32.

        Parameters
        ----------
        name : str
            A key of :attr:`tensors`.

        Returns
        -------
        Array
            The tensor's values, of shape ``tensors[name].shape``.

        Raises
        ------
        TypeError
            If name is not a str.
        KeyError
            If the file has no tensor of that name.
        ValueError
            If the file has been closed.
        NotImplementedError
            If the tensor's type is neither plain nor one trueno can
            dequantize (see :meth:`quantized`).

        Examples
        --------
        >>> import trueno.gguf
        >>> with trueno.gguf.load(path) as f:
        ...     norm = f.array("blk.0.attn_norm.weight")
        ...     up = f.array("blk.0.ffn_up.weight")       # Q8_0, dequantized
        >>> norm[:3], up.shape, up.dtype
        (Array([1., 1., 1.], dtype=float32), (64, 32), dtype('float32'))
        """
        info = self._info(name)
        from ._creation import asarray
        plain = _PLAIN_TYPES.get(info.type)
        if plain is not None:
            raw = self._raw(info)
            values = raw.view(np.dtype(plain)).reshape(info.shape)
            if values.ctypes.data % values.dtype.itemsize:
                values = values.copy()
            return asarray(values)
        return self.quantized(name).dequantize()

    def quantized(self, name: str) -> "QuantizedTensor":
        """A handle on the tensor's blocks, for :func:`linear` and :func:`dequantize`.

        Nothing is decoded or copied: the handle views the file's bytes.

        Parameters
        ----------
        name : str
            A key of :attr:`tensors`, of a type trueno's kernels compute
            with: F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K or Q6_K.

        Returns
        -------
        QuantizedTensor

        Raises
        ------
        TypeError
            If name is not a str.
        KeyError
            If the file has no tensor of that name.
        ValueError
            If the file has been closed.
        NotImplementedError
            If the tensor's type is another (F32 and the integer types:
            use :meth:`array`; the IQ, Q2_K, Q3_K, ... types: not supported).

        Examples
        --------
        >>> import trueno.gguf
        >>> with trueno.gguf.load(path) as f:
        ...     w = f.quantized("blk.0.ffn_up.weight")
        >>> w
        <QuantizedTensor 'blk.0.ffn_up.weight' Q8_0 shape=(64, 32)>
        >>> w.rows, w.cols, w.data.shape
        (64, 32, (2176,))
        """
        info = self._info(name)
        if info.type not in _KERNEL_TYPES:
            raise NotImplementedError(
                f"GGUF: tensor {name!r} has type {info.type}, which trueno cannot dequantize "
                f"(supported: {', '.join(sorted(_KERNEL_TYPES))})")
        from ._creation import asarray
        return QuantizedTensor(info.name, info.shape, info.type, asarray(self._raw(info)))

    def close(self) -> None:
        """Drops this object's hold on the mapping; arrays made from it stay valid.

        Leaving a ``with`` block calls it. Afterwards :meth:`array` and
        :meth:`quantized` raise ValueError; closing twice is harmless.

        Returns
        -------
        None

        Examples
        --------
        >>> import trueno.gguf
        >>> f = trueno.gguf.load(path)
        >>> norm = f.array("output_norm.weight")
        >>> f.close()
        >>> norm.shape                                    # still valid
        (32,)
        >>> f.array("output_norm.weight")
        Traceback (most recent call last):
        ...
        ValueError: GGUF: ... is closed
        """
        self._bytes = None
        try:
            self._map.close()
        except BufferError:
            pass  # arrays still view it; the mapping goes when the last of them does

    def __enter__(self) -> "GGUFFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"<GGUFFile {self.path!r} v{self.version}: {len(self.metadata)} metadata keys, "
                f"{len(self.tensors)} tensors>")


def load(path: str | os.PathLike, *, metadata_arrays: bool = True) -> GGUFFile:
    """Opens the GGUF file at `path` (memory-mapped, read-only) and parses its header.

    Every offset, size and count in the header is checked against the file
    before it is used; tensor data is read only when asked for.

    Parameters
    ----------
    path : str or os.PathLike
        The GGUF file (version 2 or 3, little-endian).
    metadata_arrays : bool, default True
        False checks array-valued metadata (the vocabulary, merges, scores)
        but leaves it out of ``metadata``; ``metadata_types`` still names
        every key. For reading hyper-parameters and tensors only: a
        32000-token vocabulary is ~4 MiB of Python objects, and ~2 MiB of
        process memory after they are freed.

    Returns
    -------
    GGUFFile
        The opened file; use it as a context manager to close it.

    Raises
    ------
    TypeError
        If path is not a str or os.PathLike, or metadata_arrays not a bool.
    OSError
        If the file cannot be opened (FileNotFoundError if it does not exist).
    ValueError
        If the file is empty, not a GGUF file, of an unsupported version
        (1, big-endian), or truncated or corrupt: the message names what was
        wrong and the byte offset where it was read.
    NotImplementedError
        If a tensor has a ggml type id that :data:`GGML_TYPES` does not know.

    Examples
    --------
    >>> import trueno.gguf
    >>> with trueno.gguf.load(path) as f:
    ...     f
    <GGUFFile '...tiny-llama.gguf' v3: ... metadata keys, 12 tensors>
    >>> with trueno.gguf.load(path, metadata_arrays=False) as f:
    ...     "tokenizer.ggml.tokens" in f.metadata, "tokenizer.ggml.tokens" in f.metadata_types
    (False, True)
    >>> trueno.gguf.load("no-such-file.gguf")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such file or directory: ...
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    if not isinstance(metadata_arrays, bool):
        raise TypeError(f"metadata_arrays must be a bool, got {type(metadata_arrays).__name__}")
    return GGUFFile(path, metadata_arrays)


class QuantizedTensor:
    """A ggml-typed tensor as stored: ``shape`` (NumPy order) and its raw blocks.

    :meth:`GGUFFile.quantized` makes one from a file; :func:`linear`
    multiplies by it and :func:`dequantize` expands it. The last dimension is
    a row of ``shape[-1]`` values, quantized in blocks (32 values a block for
    Q8_0, Q4_0, Q4_1, Q5_0, Q5_1; 256 for Q4_K, Q5_K, Q6_K; F16 and BF16 are
    plain 2-byte values).

    Parameters
    ----------
    name : str
        The tensor's name (for messages and ``repr``).
    shape : tuple of int
        NumPy-order shape of the values.
    type : str
        The ggml type name: F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K,
        Q5_K or Q6_K.
    data : Array
        The blocks as stored in GGUF, a 1-D uint8 trueno array.

    Attributes
    ----------
    type_id : int
        The ggml type's number (a key of :data:`GGML_TYPES`).
    rows : int
        The number of quantized rows (the product of all but the last
        dimension).
    cols : int
        The values per row (the last dimension).

    Raises
    ------
    NotImplementedError
        If type is not one of those above.

    Examples
    --------
    One Q8_0 block of 32 values (a float16 scale, then 32 int8 values),
    written by hand:

    >>> import numpy as np
    >>> import trueno as xp
    >>> import trueno.gguf
    >>> block = np.float16(0.5).tobytes() + np.arange(32, dtype=np.int8).tobytes()
    >>> data = xp.asarray(np.frombuffer(block, dtype=np.uint8))
    >>> w = trueno.gguf.QuantizedTensor("w", (1, 32), "Q8_0", data)
    >>> w.rows, w.cols, w.type_id
    (1, 32, 8)
    >>> w.dequantize()[0, :4]
    Array([0. , 0.5, 1. , 1.5], dtype=float32)
    """

    def __init__(self, name: str, shape: tuple[int, ...], type: str, data):
        if type not in _KERNEL_TYPES:
            raise NotImplementedError(f"quantized tensors of type {type} are not supported")
        self.name = name
        self.shape = tuple(shape)
        self.type = type
        self.type_id = _TYPE_IDS[type]
        self.data = data
        # plain attributes, not properties: linear reads them on every call
        rows = 1
        for d in self.shape[:-1]:
            rows *= d
        # the number of quantized rows (the product of all but the last dimension)
        self.rows: int = rows
        # the values per row (the last dimension)
        self.cols: int = self.shape[-1] if self.shape else 1

    def dequantize(self):
        """All values as a float32 trueno array of this tensor's shape.

        Returns
        -------
        Array
            float32, of shape :attr:`shape`.

        Examples
        --------
        >>> import trueno.gguf
        >>> with trueno.gguf.load(path) as f:
        ...     w = f.quantized("blk.0.ffn_up.weight")
        >>> w.dequantize().shape
        (64, 32)
        """
        out = _quant.dequantize(self.data, self.type_id, self.rows, self.cols)
        from ._manipulation import reshape
        return reshape(out, self.shape)

    def __repr__(self) -> str:
        return f"<QuantizedTensor {self.name!r} {self.type} shape={self.shape}>"


def dequantize(weight: QuantizedTensor):
    """`weight`'s values as float32 (the same as ``weight.dequantize()``).

    Parameters
    ----------
    weight : QuantizedTensor
        The tensor to expand.

    Returns
    -------
    Array
        float32, of shape ``weight.shape``.

    Raises
    ------
    TypeError
        If weight is not a QuantizedTensor.

    Examples
    --------
    >>> import trueno as xp
    >>> import trueno.gguf
    >>> with trueno.gguf.load(path) as f:
    ...     w = f.quantized("blk.0.ffn_up.weight")
    ...     exact = f.array("blk.0.ffn_up.weight")
    >>> values = trueno.gguf.dequantize(w)
    >>> values.shape, bool(xp.all(values == exact))
    ((64, 32), True)
    """
    if not isinstance(weight, QuantizedTensor):
        raise TypeError(f"weight must be a QuantizedTensor, got {type(weight).__name__}")
    return weight.dequantize()


def linear(x, weight: QuantizedTensor):
    """``x @ weight.T`` for a quantized ``[rows, cols]`` weight, as float32.

    `x` is a float32 trueno array of shape ``(..., cols)``; the result has
    shape ``(..., rows)`` (like ``torch.nn.functional.linear``, the layout of
    GGUF's weights). Blocks of the weight are decoded as they are used, never
    the whole weight at once: up to 4 rows of x (a decode step) take fused
    decode-and-dot kernels for every block format; more rows (a prompt) take
    integer kernels over decoded tiles of 4 or 16 weight rows where x is
    rounded to int8 (below), and otherwise float32 tiles of weight rows (256
    KiB for up to 7 rows, 1 MiB for OpenBLAS's sgemm from 8).

    Numerics: x is rounded to int8 as llama.cpp does, then multiplied in exact
    integer sums scaled in float32, for Q4_K, Q5_K and Q6_K weights (up to 4
    rows of x on every ISA, any number on AVX2 and AVX3: llama.cpp's Q8_K,
    one scale per run of 256 values) and for Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1
    weights from 16 rows of x whose length is a multiple of 256, on AVX3 with
    AVX-512 VNNI (its Q8_0, one scale per run of 32).
    ``_core.quant.rounds_activations(type_id, n, cols)`` says which. A run
    becomes ``d * q`` with ``d = max|x| / 127`` and
    ``q = rint(x * (127 / max|x|))``, so each value moves by at most ``d / 2``
    (about 0.4% of the run's largest). An inf or NaN in a run makes the
    results NaN. Every other case keeps x in float32 and accumulates in
    float32, so on some ISAs a prompt (many rows) and a decode step (one
    row) of the same model round differently.

    Parameters
    ----------
    x : Array
        float32 trueno array of shape ``(..., cols)``, at least 1-D.
    weight : QuantizedTensor
        A 2-D ``[rows, cols]`` weight (from :meth:`GGUFFile.quantized`).

    Returns
    -------
    Array
        float32, of shape ``(..., rows)``.

    Raises
    ------
    TypeError
        If weight is not a QuantizedTensor, x is not a trueno array, or x is
        not float32.
    ValueError
        If weight is not 2-D, x is 0-D, or x's last dimension is not the
        weight's ``cols``.

    Examples
    --------
    >>> import trueno as xp
    >>> import trueno.gguf
    >>> with trueno.gguf.load(path) as f:
    ...     w = f.quantized("blk.0.ffn_up.weight")       # Q8_0, [64, 32]
    >>> x = xp.ones((3, 32), dtype=xp.float32)
    >>> y = trueno.gguf.linear(x, w)
    >>> y.shape, y.dtype
    ((3, 64), dtype('float32'))
    >>> float(xp.max(xp.abs(y - x @ trueno.gguf.dequantize(w).T))) < 1e-4
    True
    >>> trueno.gguf.linear(xp.ones((3, 16), dtype=xp.float32), w)
    Traceback (most recent call last):
    ...
    ValueError: x's last dimension 16 does not match the weight's 32 columns
    """
    if not isinstance(weight, QuantizedTensor):
        raise TypeError(f"weight must be a QuantizedTensor, got {type(weight).__name__}")
    if len(weight.shape) != 2:
        raise ValueError(f"weight must be 2-D [rows, cols], got shape {weight.shape}")
    if not isinstance(x, _core.Array):
        raise TypeError(f"x must be a trueno array, got {type(x).__name__}")
    if x.ndim == 2 and x.shape[1] == weight.cols:
        # a model's call (~85 a decode step): no reshapes around the kernel
        return _quant.linear(x, weight.data, weight.type_id, weight.rows, weight.cols)
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension (its last is the weight's cols)")
    if x.shape[-1] != weight.cols:
        raise ValueError(f"x's last dimension {x.shape[-1]} does not match the weight's "
                         f"{weight.cols} columns")
    from ._manipulation import reshape
    batch = tuple(x.shape[:-1])
    count = 1
    for d in batch:
        count *= d
    rows2d = reshape(x, (count, weight.cols))
    out = _quant.linear(rows2d, weight.data, weight.type_id, weight.rows, weight.cols)
    return reshape(out, (*batch, weight.rows))

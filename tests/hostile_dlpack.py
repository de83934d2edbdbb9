"""A DLPack producer built with ctypes whose tensor may lie: negative, missing or
overflowing shapes and strides, any ndim (issue 15, item 5)."""
import ctypes

class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]

class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]

class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32),
                ("dtype", DLDataType), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]

class DLManagedTensor(ctypes.Structure):
    pass

DELETER = ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensor))
DLManagedTensor._fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p), ("deleter", DELETER)]

_keep = []
_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]


class Producer:
    """An object whose __dlpack__ hands out a hand-made (possibly hostile) DLTensor."""
    def __init__(self, shape, strides=None, ndim=None, data_bytes=64, null_shape=False, bits=64, code=2):
        self.buffer = (ctypes.c_char * data_bytes)()
        nd = len(shape) if ndim is None else ndim
        self.shape = (ctypes.c_int64 * max(1, len(shape)))(*shape)
        self.strides = None if strides is None else (ctypes.c_int64 * max(1, len(strides)))(*strides)
        m = DLManagedTensor()
        m.dl_tensor.data = ctypes.addressof(self.buffer)
        m.dl_tensor.device = DLDevice(1, 0)
        m.dl_tensor.ndim = nd
        m.dl_tensor.dtype = DLDataType(code, bits, 1)
        m.dl_tensor.shape = None if null_shape else ctypes.cast(self.shape, ctypes.POINTER(ctypes.c_int64))
        m.dl_tensor.strides = None if self.strides is None else ctypes.cast(self.strides, ctypes.POINTER(ctypes.c_int64))
        m.deleter = DELETER(0)
        self.managed = m

    def __dlpack__(self, **kwargs):
        _keep.append(self)
        return _capsule_new(ctypes.addressof(self.managed), b"dltensor", None)

    def __dlpack_device__(self):
        return (1, 0)

"""trueno arrays as the chunks of Dask and the data of xarray.

Each operation runs twice, on NumPy chunks and on trueno chunks: the trueno
run must give trueno arrays (computed by trueno: no chunk silently becomes
a NumPy array) with NumPy's dtype and values. Dask is checked on every
scheduler, a distributed LocalCluster of two worker processes included.
Cubed is checked through its own test suite (tests/test_cubed.py).
"""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

da = pytest.importorskip("dask.array", reason="Dask is not installed (pip install 'dask[array]')")


def _dask_operations(d):
    """The operations users write on a Dask array, by name."""
    return {
        "add": d + 1, "ufunc": np.exp(d), "dask_ufunc": da.sin(d), "sum": d.sum(), "sum_axis": d.sum(axis=0),
        "mean": d.mean(), "mean_axis": d.mean(axis=1), "var": d.var(), "std_axis": d.std(axis=0),
        "min": d.min(), "max_axis": d.max(axis=1), "argmax": d.argmax(), "argmax_axis": d.argmax(axis=0),
        "argmin_axis": d.argmin(axis=1), "matmul": d @ d.T, "tensordot": da.tensordot(d, d.T, axes=1),
        "boolean_mask": d[d > 5], "integer_list": d[[0, 2]], "slice": d[1:, ::2],
        "map_blocks": d.map_blocks(lambda b: b * 2 + 1), "rechunk": d.rechunk((4, 2)),
        "concatenate": da.concatenate([d, d], axis=1), "stack": da.stack([d, d]),
        "reshape": d.reshape(24), "astype": d.astype(np.float32), "where": da.where(d > 3, d, 0),
        "cumsum": d.cumsum(axis=1), "transpose": d.T, "nanmean": da.nanmean(d),
    }


def _check_dask(scheduler_kwargs):
    t = xp.reshape(xp.arange(24.0), (4, 6))
    on_trueno = _dask_operations(da.from_array(t, chunks=(2, 3)))
    on_numpy = _dask_operations(da.from_array(np.arange(24.0).reshape(4, 6), chunks=(2, 3)))
    assert type(da.from_array(t, chunks=2)._meta) is xp.Array
    assert type(da.asarray(t)._meta) is xp.Array
    for name, expression in on_trueno.items():
        result = expression.compute(**scheduler_kwargs)
        expected = on_numpy[name].compute(scheduler="sync")
        assert type(result) is xp.Array, f"{name}: {type(result)}"
        assert result.dtype == expected.dtype, name
        np.testing.assert_allclose(np.asarray(result), expected, rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("scheduler", ["sync", "threads", "processes"])
def test_dask_keeps_trueno_chunks(scheduler):
    _check_dask({"scheduler": scheduler})


def test_dask_distributed_local_cluster_keeps_trueno_chunks():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        _check_dask({})
        # the chunks lived in the workers as trueno arrays, not only the gathered result
        kinds = client.run(lambda: __import__("trueno").__name__)
        assert sorted(kinds.values()) == ["trueno", "trueno"]


# ---- xarray --------------------------------------------------------------------

xr = pytest.importorskip("xarray", reason="xarray is not installed")


def _xarray_operations(data):
    a = xr.DataArray(data, dims=("x", "y"), coords={"x": [10, 20, 30, 40], "y": list("abcdef")})
    groups = xr.DataArray([1, 1, 2, 2], dims="x")
    return {
        "arithmetic": a * 2 + 1, "mean": a.mean(), "mean_dim": a.mean("x"), "mean_skipna": a.mean(skipna=True),
        "mean_no_skipna": a.mean("y", skipna=False), "std": a.std(), "std_dim_skipna": a.std("y", skipna=True),
        "max": a.max(), "max_skipna": a.max("x", skipna=True), "where": a.where(a > 3),
        "isel": a.isel(x=[0, 2]), "sel": a.sel(y="b"), "concat": xr.concat([a, a], dim="x"),
        "stack": a.stack(z=("x", "y")), "unstack": a.stack(z=("x", "y")).unstack("z"),
        "groupby_mean": a.groupby(groups).mean(), "chunk_mean": a.chunk({"x": 2}).mean("x").compute(),
        "dataset_mean": xr.Dataset({"v": a}).mean()["v"],
    }


def test_xarray_keeps_trueno_data():
    t = xp.reshape(xp.arange(24.0), (4, 6))
    t[1, 2] = xp.nan
    on_trueno = _xarray_operations(t)
    on_numpy = _xarray_operations(np.asarray(t).copy())
    for name, result in on_trueno.items():
        expected = on_numpy[name]
        assert type(result.data) is xp.Array, f"{name}: {type(result.data)}"
        assert result.dtype == expected.dtype and result.dims == expected.dims, name
        np.testing.assert_allclose(np.asarray(result.data), expected.values, equal_nan=True, err_msg=name)


def test_xarray_chunked_data_is_dask_over_trueno():
    a = xr.DataArray(xp.ones((4, 6)), dims=("x", "y")).chunk({"x": 2})
    assert type(a.data._meta) is xp.Array
    assert type(a.sum("y").compute().data) is xp.Array

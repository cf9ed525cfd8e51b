"""Unit tests for course_utils.data: shapes, seeded reproducibility, the generating model, explicit rng."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import data


def test_make_linear_regression_shapes_and_reproducible():
    X, y = data.make_linear_regression(50, [1.0, -2.0, 0.5], rng=np.random.default_rng(3))
    assert X.shape == (50, 3) and y.shape == (50,)
    X2, y2 = data.make_linear_regression(50, [1.0, -2.0, 0.5], rng=np.random.default_rng(3))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_make_linear_regression_noise_free_is_exact_and_scaled():
    w = np.array([2.0, -1.0])
    X, y = data.make_linear_regression(2000, w, noise=0.0, rng=np.random.default_rng(0), x_scale=[1.0, 10.0])
    np.testing.assert_allclose(y, X @ w)
    ratio = X[:, 1].std() / X[:, 0].std()
    assert 9.0 < ratio < 11.0


def test_make_linear_regression_least_squares_recovers_weights():
    w = np.array([0.5, 3.0, -1.5])
    X, y = data.make_linear_regression(5000, w, noise=0.3, rng=np.random.default_rng(1))
    w_hat = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(w_hat, w, atol=0.03)
    assert 0.25 < np.std(y - X @ w) < 0.35


def test_make_two_blobs_labels_balance_and_separation():
    X, y = data.make_two_blobs(200, separation=6.0, rng=np.random.default_rng(2))
    assert X.shape == (400, 2) and y.shape == (400,)
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == 200
    gap = np.linalg.norm(X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0))
    assert 5.5 < gap < 6.5
    assert not np.all(y[:200] == 0), "the two classes must be shuffled together"


def test_make_line_model_and_range():
    x, y = data.make_line(3000, intercept=1.5, slope=-0.5, noise=0.0, x_range=(2.0, 4.0), rng=np.random.default_rng(4))
    assert x.shape == y.shape == (3000,)
    assert x.min() >= 2.0 and x.max() <= 4.0
    np.testing.assert_allclose(y, 1.5 - 0.5 * x)
    x, y = data.make_line(3000, intercept=1.5, slope=-0.5, noise=2.0, rng=np.random.default_rng(4))
    assert 1.8 < np.std(y - (1.5 - 0.5 * x)) < 2.2


def test_make_scaled_regression_columns_have_requested_scale_and_offset():
    X, y = data.make_scaled_regression(4000, 2.0, [1.0, 0.01], scales=[1.0, 100.0], offsets=[0.0, 500.0], noise=0.0,
                                       rng=np.random.default_rng(5))
    assert X.shape == (4000, 2)
    assert abs(X[:, 0].mean()) < 0.1 and abs(X[:, 1].mean() - 500.0) < 5.0
    np.testing.assert_allclose(X.std(axis=0), [1.0, 100.0], rtol=0.05)
    np.testing.assert_allclose(y, 2.0 + X @ [1.0, 0.01])


def test_make_scaled_regression_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        data.make_scaled_regression(10, 0.0, [1.0, 2.0], scales=[1.0], rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    "call",
    [
        lambda: data.make_linear_regression(5, [1.0]),
        lambda: data.make_two_blobs(5),
        lambda: data.make_line(5, 0.0, 1.0),
        lambda: data.make_scaled_regression(5, 0.0, [1.0], [1.0]),
        lambda: data.train_test_split(np.zeros((4, 1)), np.zeros(4)),
    ],
)
def test_every_generator_demands_an_explicit_rng(call):
    with pytest.raises(ValueError, match="explicit rng"):
        call()


def test_load_digits_shape_range_labels_and_known_totals():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    # the raw pixels are counts 0..16: 58736 of them are non-zero and they add up to 561718
    assert int((X > 0).sum()) == 58736
    assert round(float(X.sum()) * 16) == 561718
    np.testing.assert_array_equal(np.rint(X[0] * 16).reshape(8, 8)[1], [0, 0, 13, 15, 10, 15, 5, 0])
    assert y[0] == 0


def test_digits_file_ships_with_its_licence():
    assert data.DIGITS_PATH.exists()
    licence = (data.DIGITS_PATH.parent / "LICENSE-digits.txt").read_text()
    assert "CC BY 4.0" in licence and "Alpaydin" in licence and "Kaynak" in licence


def test_train_test_split_is_seeded_disjoint_and_complete():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.25, rng=np.random.default_rng(0))
    assert Xtr.shape == (15, 2) and Xte.shape == (5, 2) and ytr.shape == (15,) and yte.shape == (5,)
    np.testing.assert_array_equal(np.sort(np.concatenate([ytr, yte])), y)
    np.testing.assert_array_equal(Xtr[:, 0], 2 * ytr)  # rows stay with their labels
    again = data.train_test_split(X, y, test_fraction=0.25, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(again[3], yte)
    assert not np.array_equal(yte, np.arange(5)), "the split must be shuffled"


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.zeros((4, 2)), np.zeros(3)), "same number of rows"),
        ((np.zeros((4, 2)), np.zeros(4), 0.01), "non-empty"),
        ((np.zeros((4, 2)), np.zeros(4), 1.0), "non-empty"),
    ],
)
def test_train_test_split_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        data.train_test_split(*args, rng=np.random.default_rng(0))

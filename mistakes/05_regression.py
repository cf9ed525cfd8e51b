"""Plausible wrong answers for 05_regression: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "add_intercept": {
        "ones in the last column": '''
def add_intercept(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.hstack([X, np.ones((X.shape[0], 1))])
''',
        "a row of ones instead of a column": '''
def add_intercept(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.vstack([np.ones((1, X.shape[1])), X])
''',
        "1-D input not made a column": '''
def add_intercept(X):
    X = np.asarray(X, dtype=float)
    if X.ndim > 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.column_stack([np.ones(len(X)), X]) if X.ndim == 2 else np.concatenate([[1.0], X])
''',
        "keeps an integer dtype": '''
def add_intercept(X):
    X = np.asarray(X)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.hstack([np.ones((X.shape[0], 1), dtype=X.dtype), X])
''',
    },
    "mse_loss": {
        "sum instead of mean": '''
def mse_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return float(np.sum((X @ w - y) ** 2))
''',
        "root mean square": '''
def mse_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return float(np.sqrt(np.mean((X @ w - y) ** 2)))
''',
        "mean absolute error": '''
def mse_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return float(np.mean(np.abs(X @ w - y)))
''',
        "no shape check (broadcasting)": '''
def mse_loss(X, y, w):
    return float(np.mean((np.asarray(X, float) @ np.asarray(w, float) - np.asarray(y, float)) ** 2))
''',
    },
    "mse_gradient": {
        "no shape check (broadcasting)": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    return 2 / X.shape[0] * X.T @ (X @ w - y)
''',
        "forgets the factor 2": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return X.T @ (X @ w - y) / X.shape[0]
''',
        "forgets to divide by n": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return 2 * X.T @ (X @ w - y)
''',
        "residual with the wrong sign": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return 2 / X.shape[0] * X.T @ (y - X @ w)
''',
    },
    "normal_equation": {
        "inverts X^T X": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.inv(X.T @ X) @ X.T @ y
''',
        "solves the normal equations with solve": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.solve(X.T @ X, X.T @ y)
''',
        "returns the whole lstsq tuple": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.lstsq(X, y, rcond=None)
''',
        "ridge-regularised instead of least squares": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.solve(X.T @ X + 1e-3 * np.eye(X.shape[1]), X.T @ y)
''',
    },
    "sigmoid": {
        "naive formula overflows": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + np.exp(-z))
''',
        "sign error": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
''',
        "np.where over two naive branches": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
''',
        "1 - sigmoid(-z) for negative z": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    pos = 1.0 / (1.0 + np.exp(-np.abs(z)))
    return np.where(z >= 0, pos, 1.0 - pos)
''',
    },
    "logistic_loss": {
        "log of the sigmoid": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    p = sigmoid(X @ w)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "clips probabilities to [1e-15, 1 - 1e-15]": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    p = np.clip(sigmoid(X @ w), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "sum instead of mean": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    z = X @ w
    return float(np.sum(np.logaddexp(0.0, z) - y * z))
''',
        "labels swapped": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - (1 - y) * z))
''',
        "accepts labels -1/+1 silently": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
''',
    },
    "logistic_gradient": {
        "forgets to divide by n": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (sigmoid(X @ w) - y)
''',
        "sign flipped (y - p)": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (y - sigmoid(X @ w)) / X.shape[0]
''',
        "forgets the sigmoid": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (X @ w - y) / X.shape[0]
''',
        "naive sigmoid inside": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (1 / (1 + np.exp(-(X @ w))) - y) / X.shape[0]
''',
    },
}

MISTAKES.update({
    "predict_scaling_speedup": {
        "thinks scaling changes nothing": 'predict_scaling_speedup = "about as many steps"\n',
        "thinks it is a modest gain": 'predict_scaling_speedup = "about half as many"\n',
    },
    "predict_separable_norm": {
        "thinks a convex cost always has a minimiser": 'predict_separable_norm = "settles at a finite value"\n',
        "confuses it with weight decay": 'predict_separable_norm = "shrinks to 0"\n',
    },
})

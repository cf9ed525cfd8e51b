"""Plausible wrong answers for 05_regression: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "add_intercept": {
        "Puts the column of ones last instead of first.": '''
def add_intercept(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.hstack([X, np.ones((X.shape[0], 1))])
''',
        "Adds a row of ones on top instead of a column of ones on the left.": '''
def add_intercept(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.vstack([np.ones((1, X.shape[1])), X])
''',
        "Does not turn a 1-D input into a column, so it prepends a single 1 instead of a column of ones.": '''
def add_intercept(X):
    X = np.asarray(X, dtype=float)
    if X.ndim > 2:
        raise ValueError("X must be 1-D or 2-D")
    return np.column_stack([np.ones(len(X)), X]) if X.ndim == 2 else np.concatenate([[1.0], X])
''',
        "Keeps the integer dtype of an integer X instead of returning floats.": '''
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
        "Sums the squared residuals instead of averaging them.": '''
def mse_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return float(np.sum((X @ w - y) ** 2))
''',
        "Returns the root of the mean squared error instead of the mean squared error itself.": '''
def mse_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return float(np.sqrt(np.mean((X @ w - y) ** 2)))
''',
        "Averages the absolute residuals instead of the squared ones.": '''
def mse_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return float(np.mean(np.abs(X @ w - y)))
''',
        "Does not check the shapes, so a y of the wrong shape broadcasts silently instead of raising ValueError.": '''
def mse_loss(X, y, w):
    return float(np.mean((np.asarray(X, float) @ np.asarray(w, float) - np.asarray(y, float)) ** 2))
''',
    },
    "mse_gradient": {
        "Does not check the shapes, so a y of the wrong shape broadcasts silently instead of raising ValueError.": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    return 2 / X.shape[0] * X.T @ (X @ w - y)
''',
        "Forgets the factor 2 and returns X^T (Xw - y) / n.": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return X.T @ (X @ w - y) / X.shape[0]
''',
        "Forgets to divide by the number of examples n.": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return 2 * X.T @ (X @ w - y)
''',
        "Uses the residual y - Xw instead of Xw - y, so the gradient has the wrong sign.": '''
def mse_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    return 2 / X.shape[0] * X.T @ (y - X @ w)
''',
    },
    "normal_equation": {
        "Forms X^T X and solves or inverts it, which squares the condition number, instead of using a least-squares solver.": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.solve(X.T @ X, X.T @ y)
''',
        "Returns the whole tuple np.linalg.lstsq gives back instead of only the solution.": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.lstsq(X, y, rcond=None)
''',
        "Adds a small multiple of the identity to X^T X (ridge regression) instead of solving plain least squares.": '''
def normal_equation(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("shapes disagree")
    return np.linalg.solve(X.T @ X + 1e-3 * np.eye(X.shape[1]), X.T @ y)
''',
    },
    "sigmoid": {
        "Computes exp(-z) (or exp(z)) for every z, which overflows for large |z|, instead of the stable form.": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + np.exp(-z))
''',
        "Returns sigmoid(-z) instead of sigmoid(z).": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
''',
        "Computes 1 - sigmoid(|z|) for negative z, which rounds to 0 instead of a tiny positive number.": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    pos = 1.0 / (1.0 + np.exp(-np.abs(z)))
    return np.where(z >= 0, pos, 1.0 - pos)
''',
    },
    "logistic_loss": {
        "Takes the log of the sigmoid's probabilities, which gives inf when a probability rounds to 0 or 1.": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    p = sigmoid(X @ w)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "Clips the probabilities to [1e-15, 1 - 1e-15] instead of computing the loss stably from z.": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    p = np.clip(sigmoid(X @ w), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "Sums the losses over the examples instead of averaging them.": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    z = X @ w
    return float(np.sum(np.logaddexp(0.0, z) - y * z))
''',
        "Swaps the roles of the labels 0 and 1.": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - (1 - y) * z))
''',
        "Does not raise ValueError for labels other than 0 and 1.": '''
def logistic_loss(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
''',
    },
    "logistic_gradient": {
        "Forgets to divide by the number of examples n.": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (sigmoid(X @ w) - y)
''',
        "Uses y - p instead of p - y, so the gradient has the wrong sign.": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (y - sigmoid(X @ w)) / X.shape[0]
''',
        "Uses Xw - y instead of sigmoid(Xw) - y, the gradient of the squared loss.": '''
def logistic_gradient(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError("shapes disagree")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return X.T @ (X @ w - y) / X.shape[0]
''',
        "Uses the naive sigmoid 1 / (1 + exp(-z)), which overflows for large |z|.": '''
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
        "Predicts that standardising the features changes nothing, forgetting that it fixes the conditioning.": 'predict_scaling_speedup = "about as many steps"\n',
        "Predicts only a modest gain from standardising, underestimating how much the condition number falls.": 'predict_scaling_speedup = "about half as many"\n',
    },
    "predict_separable_norm": {
        "Predicts that ||w_k|| settles, as if every convex cost had a minimiser.": 'predict_separable_norm = "settles at a finite value"\n',
        "Predicts that ||w_k|| shrinks to 0, as weight decay would make it.": 'predict_separable_norm = "shrinks to 0"\n',
    },
})

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "add_intercept": "2. Linear regression and the design matrix",
    "mse_loss": "3. The squared loss and its gradient",
    "mse_gradient": "3. The squared loss and its gradient",
    "normal_equation": "4. The closed form: the normal equations",
    "predict_scaling_speedup": "6. Feature scaling and conditioning",
    "sigmoid": "Computing it without overflow",
    "logistic_loss": "Computing it without overflow",
    "logistic_gradient": "7. Logistic regression: from likelihood to loss",
    "predict_separable_norm": "Separable data: a cost without a minimiser",
}

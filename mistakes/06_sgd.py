"""Plausible wrong answers for 06_sgd: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "minibatch_indices": {
        "no shuffling (batches in storage order)": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = np.arange(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
''',
        "drops the last short batch": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n - batch_size + 1, batch_size)]
''',
        "a fresh permutation for every batch": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return [rng.permutation(n)[:min(batch_size, n - s)] for s in range(0, n, batch_size)]
''',
        "samples indices with replacement": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = rng.integers(0, n, size=n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
''',
        "no ValueError for a negative batch size": '''
def minibatch_indices(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
''',
        "np.array_split into n // batch_size pieces": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return np.array_split(rng.permutation(n), max(n // batch_size, 1))
''',
    },
    "per_example_gradients": {
        "missing the factor 2": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    return (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))[:, None] * X
''',
        "residual with the wrong sign (y - Xw)": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    return 2 * (np.asarray(y, dtype=float) - X @ np.asarray(w, dtype=float))[:, None] * X
''',
        "returns the mean gradient instead of one row per example": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * X.T @ r / len(r)
''',
        "transposed result (d, n)": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * X.T * r
''',
        "squares the residual": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * (r ** 2)[:, None] * X
''',
    },
    "minibatch_sgd": {
        "never shuffles (batches in storage order)": '''
def minibatch_sgd(grad_fn, w0, X, y, lr, batch_size, n_epochs, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    out = [w.copy()]
    n = len(y)
    for _ in range(n_epochs):
        for s in range(0, n, batch_size):
            idx = np.arange(s, min(s + batch_size, n))
            w = w - lr * grad_fn(w, X[idx], y[idx])
            out.append(w.copy())
    return np.array(out)
''',
        "shuffles once and reuses the order every epoch": '''
def minibatch_sgd(grad_fn, w0, X, y, lr, batch_size, n_epochs, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    out = [w.copy()]
    batches = minibatch_indices(len(y), batch_size, rng)
    for _ in range(n_epochs):
        for idx in batches:
            w = w - lr * grad_fn(w, X[idx], y[idx])
            out.append(w.copy())
    return np.array(out)
''',
        "skips the last short batch": '''
def minibatch_sgd(grad_fn, w0, X, y, lr, batch_size, n_epochs, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    out = [w.copy()]
    for _ in range(n_epochs):
        for idx in minibatch_indices(len(y), batch_size, rng):
            if len(idx) < batch_size:
                continue
            w = w - lr * grad_fn(w, X[idx], y[idx])
            out.append(w.copy())
    return np.array(out)
''',
        "updates w0 in place": '''
def minibatch_sgd(grad_fn, w0, X, y, lr, batch_size, n_epochs, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = w0
    out = [w.copy()]
    for _ in range(n_epochs):
        for idx in minibatch_indices(len(y), batch_size, rng):
            w -= lr * grad_fn(w, X[idx], y[idx])
            out.append(w.copy())
    return np.array(out)
''',
        "a fresh permutation for every batch": '''
def minibatch_sgd(grad_fn, w0, X, y, lr, batch_size, n_epochs, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    out = [w.copy()]
    n = len(y)
    for _ in range(n_epochs):
        for s in range(0, n, batch_size):
            idx = rng.permutation(n)[:min(batch_size, n - s)]
            w = w - lr * grad_fn(w, X[idx], y[idx])
            out.append(w.copy())
    return np.array(out)
''',
        "forgets row 0 (w0)": '''
def minibatch_sgd(grad_fn, w0, X, y, lr, batch_size, n_epochs, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    out = []
    for _ in range(n_epochs):
        for idx in minibatch_indices(len(y), batch_size, rng):
            w = w - lr * grad_fn(w, X[idx], y[idx])
            out.append(w.copy())
    return np.array(out)
''',
    },
    "gradient_variance": {
        "samples each batch with replacement": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = 2 * (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.sum((G[rng.integers(0, n, batch_size)].mean(axis=0) - full) ** 2) for _ in range(n_draws)]))
''',
        "sums the batch gradients instead of averaging": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = 2 * (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.sum((G[rng.choice(n, batch_size, replace=False)].sum(axis=0) - full) ** 2)
                          for _ in range(n_draws)]))
''',
        "missing the factor 2 in the gradients": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.sum((G[rng.choice(n, batch_size, replace=False)].mean(axis=0) - full) ** 2)
                          for _ in range(n_draws)]))
''',
        "averages the squared error over coordinates instead of summing": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = 2 * (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.mean((G[rng.choice(n, batch_size, replace=False)].mean(axis=0) - full) ** 2)
                          for _ in range(n_draws)]))
''',
        "uses the global np.random instead of rng": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = 2 * (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.sum((G[np.random.choice(n, batch_size, replace=False)].mean(axis=0) - full) ** 2)
                          for _ in range(n_draws)]))
''',
        "distance instead of squared distance": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = 2 * (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.linalg.norm(G[rng.choice(n, batch_size, replace=False)].mean(axis=0) - full)
                          for _ in range(n_draws)]))
''',
    },
}

MISTAKES.update({
    "predict_variance_batch16": {
        "confuses variance with standard deviation": 'predict_variance_batch16 = "about sigma^2 / 4"\n',
        "squares the batch size": 'predict_variance_batch16 = "about sigma^2 / 256"\n',
    },
    "predict_sgd_escape": {
        "thinks noise cannot climb a barrier": 'predict_sgd_escape = "both stay"\n',
        "forgets that GD's gradient is zero at a minimum": 'predict_sgd_escape = "both reach the global basin"\n',
    },
})

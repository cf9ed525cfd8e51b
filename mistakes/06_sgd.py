"""Plausible wrong answers for 06_sgd: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "minibatch_indices": {
        "Does not shuffle, so the batches follow the storage order.": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = np.arange(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
''',
        "Drops the last, shorter batch, so some examples are never used.": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n - batch_size + 1, batch_size)]
''',
        "Draws a fresh permutation for every batch, so an epoch repeats some examples and misses others.": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return [rng.permutation(n)[:min(batch_size, n - s)] for s in range(0, n, batch_size)]
''',
        "Samples the indices with replacement instead of permuting them.": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = rng.integers(0, n, size=n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
''',
        "Does not raise ValueError for a batch size below 1.": '''
def minibatch_indices(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
''',
        "Splits into n // batch_size pieces with np.array_split, so the batches have the wrong sizes.": '''
def minibatch_indices(n, batch_size, rng):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return np.array_split(rng.permutation(n), max(n // batch_size, 1))
''',
    },
    "per_example_gradients": {
        "Forgets the factor 2 of the squared error's derivative.": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    return (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))[:, None] * X
''',
        "Uses the residual y - Xw instead of Xw - y, so every gradient has the wrong sign.": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    return 2 * (np.asarray(y, dtype=float) - X @ np.asarray(w, dtype=float))[:, None] * X
''',
        "Returns the mean gradient instead of one row per example.": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * X.T @ r / len(r)
''',
        "Returns the gradients as columns, shape (d, n), instead of rows, shape (n, d).": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * X.T * r
''',
        "Multiplies by the squared residual instead of the residual.": '''
def per_example_gradients(X, y, w):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * (r ** 2)[:, None] * X
''',
    },
    "minibatch_sgd": {
        "Never shuffles, so every epoch visits the batches in storage order.": '''
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
        "Shuffles once and reuses the same batches in every epoch.": '''
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
        "Skips the last, shorter batch of every epoch.": '''
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
        "Updates w0 in place, so the caller's starting weights change.": '''
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
        "Draws a fresh permutation for every batch instead of one per epoch.": '''
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
        "Leaves the starting weights w0 out of the returned history.": '''
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
        "Samples each batch with replacement instead of without.": '''
def gradient_variance(X, y, w, batch_size, n_draws, rng):
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    n = len(y)
    if not 1 <= batch_size <= n:
        raise ValueError("batch_size must be between 1 and n")
    G = 2 * (X @ w - y)[:, None] * X
    full = G.mean(axis=0)
    return float(np.mean([np.sum((G[rng.integers(0, n, batch_size)].mean(axis=0) - full) ** 2) for _ in range(n_draws)]))
''',
        "Sums the gradients of a batch instead of averaging them.": '''
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
        "Forgets the factor 2 in the per-example gradients.": '''
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
        "Averages the squared deviation over the coordinates instead of summing it.": '''
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
        "Averages the distance to the full gradient instead of the squared distance.": '''
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
        "Predicts sigma^2 / 4, confusing the variance with the standard deviation, which falls like 1 / sqrt(B).": 'predict_variance_batch16 = "about sigma^2 / 4"\n',
        "Predicts sigma^2 / 256, dividing by the square of the batch size instead of the batch size.": 'predict_variance_batch16 = "about sigma^2 / 256"\n',
    },
    "predict_sgd_escape": {
        "Predicts that both stay, forgetting that SGD's noise can carry it over a low barrier.": 'predict_sgd_escape = "both stay"\n',
        "Predicts that both leave, forgetting that gradient descent does not move where the gradient is zero.": 'predict_sgd_escape = "both reach the global basin"\n',
    },
})

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "per_example_gradients": "2. The gradient of one example",
    "minibatch_indices": "3. Epochs, shuffling and minibatches",
    "predict_variance_batch16": "4. How noisy is a minibatch gradient?",
    "gradient_variance": "4. How noisy is a minibatch gradient?",
    "minibatch_sgd": "5. Minibatch stochastic gradient descent",
    "predict_sgd_escape": "9. When the noise helps: leaving a shallow minimum",
}

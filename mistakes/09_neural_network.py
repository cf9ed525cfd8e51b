"""Plausible wrong answers for 09_neural_network: each must fail at least one of its exercise's test cells.

They run in a kernel that has executed the source notebook, so `np`, `check_logits_and_labels` and the reference
solutions of the other exercises (softmax, cross_entropy_grad, dense_backward, ...) are defined.
"""

MISTAKES = {
    "softmax": {
        "no max-subtraction (overflows at 1000)": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {Z.shape}")
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
''',
        "normalises the columns instead of the rows": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {Z.shape}")
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
''',
        "subtracts the maximum of the whole array (rows far apart underflow)": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {Z.shape}")
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=1, keepdims=True)
''',
        "shifts Z in place (modifies the caller's array)": '''
def softmax(Z):
    if np.ndim(Z) != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {np.shape(Z)}")
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
''',
        "no ValueError for a 1-D array": '''
def softmax(Z):
    Z = np.atleast_2d(np.asarray(Z, dtype=float))
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)
''',
    },
    "cross_entropy": {
        "log of the softmax (inf when a probability underflows)": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    P = softmax(Z)
    return float(np.mean(-np.log(P[np.arange(len(y)), y])))
''',
        "sums over the rows instead of averaging": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    c = Z.max(axis=1)
    lse = c + np.log(np.exp(Z - c[:, None]).sum(axis=1))
    return float(np.sum(lse - Z[np.arange(len(y)), y]))
''',
        "log-sum-exp without the shift": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    lse = np.log(np.exp(Z).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))
''',
        "picks Z[y] (whole rows) instead of Z[i, y[i]]": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    c = Z.max(axis=1)
    lse = c + np.log(np.exp(Z - c[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[:, y].mean(axis=1)))
''',
        "no label check (negative labels index from the end)": '''
def cross_entropy(Z, y):
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y)
    c = Z.max(axis=1)
    lse = c + np.log(np.exp(Z - c[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))
''',
    },
    "cross_entropy_grad": {
        "forgets the 1/n of the mean": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    G = softmax(Z)
    G[np.arange(len(y)), y] -= 1.0
    return G
''',
        "onehot minus softmax (wrong sign)": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    Y = np.zeros_like(Z)
    Y[np.arange(len(y)), y] = 1.0
    return (Y - softmax(Z)) / len(y)
''',
        "divides by k (the number of classes) instead of n": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    G = softmax(Z)
    G[np.arange(len(y)), y] -= 1.0
    return G / Z.shape[1]
''',
        "subtracts 1 from the whole label column": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    G = softmax(Z)
    G[:, y] -= 1.0
    return G / len(y)
''',
    },
    "relu_backward": {
        "passes dout where Z >= 0": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return np.where(Z >= 0, dout, 0.0)
''',
        "masks with dout > 0 instead of Z > 0": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return np.where(dout > 0, dout, 0.0)
''',
        "returns the ReLU of dout": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return np.maximum(dout, 0.0)
''',
        "zeroes dout in place": '''
def relu_backward(Z, dout):
    if np.shape(Z) != np.shape(dout):
        raise ValueError("Z and dout must have the same shape")
    dout[np.asarray(Z) <= 0] = 0.0
    return dout
''',
        "multiplies by max(Z, 0) instead of the mask": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return dout * np.maximum(Z, 0.0)
''',
    },
    "dense_backward": {
        "dX with W instead of W transposed": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W, X.T @ dout, dout.sum(axis=0)
''',
        "db as row sums": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, X.T @ dout, dout.sum(axis=1)
''',
        "db as the mean over rows": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)
''',
        "dW as dout^T X (transposed)": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, dout.T @ X, dout.sum(axis=0)
''',
        "dW divided by n": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, X.T @ dout / len(X), dout.sum(axis=0)
''',
        "no shape check": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)
''',
    },
    "mlp_loss_and_grads": {
        "forgets the ReLU mask in the backward pass": '''
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (np.asarray(params[key], dtype=float) for key in ("W1", "b1", "W2", "b2"))
    X = np.asarray(X, dtype=float)
    if X.shape[1] != W1.shape[0] or W2.shape[0] != W1.shape[1] or b1.shape != (W1.shape[1],) or b2.shape != (W2.shape[1],):
        raise ValueError("shapes do not fit")
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    dZ2 = cross_entropy_grad(Z2, y)
    dA1, dW2, db2 = dense_backward(A1, W2, dZ2)
    _, dW1, db1 = dense_backward(X, W1, dA1)
    return cross_entropy(Z2, y), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
''',
        "caches the forward pass in params (params['Z1'] = ...)": '''
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (np.asarray(params[key], dtype=float) for key in ("W1", "b1", "W2", "b2"))
    X = np.asarray(X, dtype=float)
    if X.shape[1] != W1.shape[0] or W2.shape[0] != W1.shape[1] or b1.shape != (W1.shape[1],) or b2.shape != (W2.shape[1],):
        raise ValueError("shapes do not fit")
    params["Z1"] = X @ W1 + b1
    params["A1"] = np.maximum(params["Z1"], 0.0)
    Z2 = params["A1"] @ W2 + b2
    dZ2 = cross_entropy_grad(Z2, y)
    dA1, dW2, db2 = dense_backward(params["A1"], W2, dZ2)
    _, dW1, db1 = dense_backward(X, W1, relu_backward(params["Z1"], dA1))
    return cross_entropy(Z2, y), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
''',
        "subtracts the learning-rate-free gradient from params in place": '''
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (params[key] for key in ("W1", "b1", "W2", "b2"))
    X = np.asarray(X, dtype=float)
    if X.shape[1] != W1.shape[0] or W2.shape[0] != W1.shape[1] or b1.shape != (W1.shape[1],) or b2.shape != (W2.shape[1],):
        raise ValueError("shapes do not fit")
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    loss = cross_entropy(Z2, y)
    dZ2 = cross_entropy_grad(Z2, y)
    dA1, dW2, db2 = dense_backward(A1, W2, dZ2)
    _, dW1, db1 = dense_backward(X, W1, relu_backward(Z1, dA1))
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    for key in grads:
        params[key] -= grads[key]
    return loss, grads
''',
        "W2's gradient from the pre-activation Z1 instead of A1": '''
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (np.asarray(params[key], dtype=float) for key in ("W1", "b1", "W2", "b2"))
    X = np.asarray(X, dtype=float)
    if X.shape[1] != W1.shape[0] or W2.shape[0] != W1.shape[1] or b1.shape != (W1.shape[1],) or b2.shape != (W2.shape[1],):
        raise ValueError("shapes do not fit")
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    dZ2 = cross_entropy_grad(Z2, y)
    dA1, dW2, db2 = dense_backward(Z1, W2, dZ2)
    _, dW1, db1 = dense_backward(X, W1, relu_backward(Z1, dA1))
    return cross_entropy(Z2, y), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
''',
        "no ValueError for shapes that do not fit": '''
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (np.asarray(params.get(key, 0.0), dtype=float) for key in ("W1", "b1", "W2", "b2"))
    X = np.asarray(X, dtype=float)
    Z1 = X @ W1[: X.shape[1]] + b1[: W1.shape[1]]
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2[: A1.shape[1]] + b2
    dZ2 = cross_entropy_grad(Z2, y)
    dA1, dW2, db2 = dense_backward(A1, W2[: A1.shape[1]], dZ2)
    _, dW1, db1 = dense_backward(X, W1[: X.shape[1]], relu_backward(Z1, dA1))
    return cross_entropy(Z2, y), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
''',
    },
    "sgd_train": {
        "no shuffling (batches in the original order)": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(n_epochs):
        for start in range(0, len(y), batch_size):
            batch = np.arange(start, min(start + batch_size, len(y)))
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] = params[key] - lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
        "updates the weights but not the biases": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in ("W1", "W2"):
                params[key] = params[key] - lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
        "records the batch losses instead of one full-data loss per epoch": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] = params[key] - lr * grads[key]
            losses.append(loss)
    return params, losses
''',
        "forgets the loss before training": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = []
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] = params[key] - lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
        "updates the given params in place": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = dict(params)
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] -= lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
        "drops the last, shorter batch": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y) - batch_size + 1, batch_size):
            batch = order[start:start + batch_size]
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] = params[key] - lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
        "draws a fresh permutation for every batch": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    if batch_size < 1 or n_epochs < 0 or len(X) != len(y):
        raise ValueError("bad batch_size, n_epochs or X, y")
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(n_epochs):
        for start in range(0, len(y), batch_size):
            batch = rng.permutation(len(y))[:batch_size]
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] = params[key] - lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
        "no ValueError for batch_size 0 (loops forever guarded by max)": '''
def sgd_train(params, X, y, lr, batch_size, n_epochs, rng):
    batch_size = max(int(batch_size), 1)
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    losses = [mlp_loss_and_grads(params, X, y)[0]]
    for _ in range(max(n_epochs, 0)):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            _, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key] = params[key] - lr * grads[key]
        losses.append(mlp_loss_and_grads(params, X, y)[0])
    return params, losses
''',
    },
    "adam_train": {
        'restarts t at every epoch (bias correction comes back)': '''
def adam_train(params, X, y, lr, batch_size, n_epochs, rng, adam_step):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    theta = {key: np.array(value, dtype=float) for key, value in params.items()}
    v = {key: np.zeros_like(value) for key, value in theta.items()}
    s = {key: np.zeros_like(value) for key, value in theta.items()}
    losses, t = [mlp_loss_and_grads(theta, X, y)[0]], 0
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        t = 0
        for first in range(0, len(y), batch_size):
            rows = order[first:first + batch_size]
            _, g = mlp_loss_and_grads(theta, X[rows], y[rows])
            t += 1
            for key in theta:
                theta[key], v[key], s[key] = adam_step(theta[key], g[key], v[key], s[key], t, lr)
        losses.append(mlp_loss_and_grads(theta, X, y)[0])
    return theta, losses
''',
        'counts t once per parameter array instead of once per update': '''
def adam_train(params, X, y, lr, batch_size, n_epochs, rng, adam_step):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    theta = {key: np.array(value, dtype=float) for key, value in params.items()}
    v = {key: np.zeros_like(value) for key, value in theta.items()}
    s = {key: np.zeros_like(value) for key, value in theta.items()}
    losses, t = [mlp_loss_and_grads(theta, X, y)[0]], 0
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for first in range(0, len(y), batch_size):
            rows = order[first:first + batch_size]
            _, g = mlp_loss_and_grads(theta, X[rows], y[rows])
            for key in theta:
                t += 1
                theta[key], v[key], s[key] = adam_step(theta[key], g[key], v[key], s[key], t, lr)
        losses.append(mlp_loss_and_grads(theta, X, y)[0])
    return theta, losses
''',
        'restarts v and s at zero on every update (no memory)': '''
def adam_train(params, X, y, lr, batch_size, n_epochs, rng, adam_step):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    theta = {key: np.array(value, dtype=float) for key, value in params.items()}
    v = {key: np.zeros_like(value) for key, value in theta.items()}
    s = {key: np.zeros_like(value) for key, value in theta.items()}
    losses, t = [mlp_loss_and_grads(theta, X, y)[0]], 0
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for first in range(0, len(y), batch_size):
            rows = order[first:first + batch_size]
            _, g = mlp_loss_and_grads(theta, X[rows], y[rows])
            t += 1
            for key in theta:
                theta[key], v[key], s[key] = adam_step(theta[key], g[key], v[key] * 0, s[key] * 0, t, lr)
        losses.append(mlp_loss_and_grads(theta, X, y)[0])
    return theta, losses
''',
        'does not shuffle (batches in data order)': '''
def adam_train(params, X, y, lr, batch_size, n_epochs, rng, adam_step):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    theta = {key: np.array(value, dtype=float) for key, value in params.items()}
    v = {key: np.zeros_like(value) for key, value in theta.items()}
    s = {key: np.zeros_like(value) for key, value in theta.items()}
    losses, t = [mlp_loss_and_grads(theta, X, y)[0]], 0
    for _ in range(n_epochs):
        order = np.arange(len(y))
        for first in range(0, len(y), batch_size):
            rows = order[first:first + batch_size]
            _, g = mlp_loss_and_grads(theta, X[rows], y[rows])
            t += 1
            for key in theta:
                theta[key], v[key], s[key] = adam_step(theta[key], g[key], v[key], s[key], t, lr)
        losses.append(mlp_loss_and_grads(theta, X, y)[0])
    return theta, losses
''',
        'trains the given arrays in place': '''
def adam_train(params, X, y, lr, batch_size, n_epochs, rng, adam_step):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    theta = params
    v = {key: np.zeros_like(value) for key, value in theta.items()}
    s = {key: np.zeros_like(value) for key, value in theta.items()}
    losses, t = [mlp_loss_and_grads(theta, X, y)[0]], 0
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for first in range(0, len(y), batch_size):
            rows = order[first:first + batch_size]
            _, g = mlp_loss_and_grads(theta, X[rows], y[rows])
            t += 1
            for key in theta:
                theta[key], v[key], s[key] = adam_step(theta[key], g[key], v[key], s[key], t, lr)
        losses.append(mlp_loss_and_grads(theta, X, y)[0])
    return theta, losses
''',
    },
    "predict_zero_init": {
        "thinks zero is as good a start as any": 'predict_zero_init = "learns as well as a random start"\n',
        "thinks the loss diverges": 'predict_zero_init = "the loss diverges"\n',
    },
    "predict_lr_times_ten": {
        "thinks a bigger step just learns faster": 'predict_lr_times_ten = "learns faster and ends with higher accuracy"\n',
        "thinks only the noise grows": 'predict_lr_times_ten = "ends about the same, with a noisier loss curve"\n',
    },
}

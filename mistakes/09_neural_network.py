"""Plausible wrong answers for 09_neural_network: each must fail at least one of its exercise's test cells.

They run in a kernel that has executed the source notebook, so `np`, `check_logits_and_labels` and the reference
solutions of the other exercises (softmax, cross_entropy_grad, dense_backward, ...) are defined.
"""

MISTAKES = {
    "softmax": {
        "Exponentiates Z without subtracting each row's maximum first, so large logits overflow.": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {Z.shape}")
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
''',
        "Normalises each column instead of each row.": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {Z.shape}")
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
''',
        "Subtracts the maximum of the whole array instead of each row's, so a row far below it underflows.": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {Z.shape}")
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=1, keepdims=True)
''',
        "Subtracts the row maxima from Z in place, so the caller's array changes.": '''
def softmax(Z):
    if np.ndim(Z) != 2:
        raise ValueError(f"softmax expects a 2-D array; got shape {np.shape(Z)}")
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
''',
        "Does not raise ValueError for a 1-D array.": '''
def softmax(Z):
    Z = np.atleast_2d(np.asarray(Z, dtype=float))
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)
''',
    },
    "cross_entropy": {
        "Takes the log of the softmax probabilities, which gives inf when a probability underflows to 0.": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    P = softmax(Z)
    return float(np.mean(-np.log(P[np.arange(len(y)), y])))
''',
        "Sums the losses over the rows instead of averaging them.": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    c = Z.max(axis=1)
    lse = c + np.log(np.exp(Z - c[:, None]).sum(axis=1))
    return float(np.sum(lse - Z[np.arange(len(y)), y]))
''',
        "Computes the log-sum-exp without subtracting the row maximum, so large logits overflow.": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    lse = np.log(np.exp(Z).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))
''',
        "Picks whole columns Z[:, y] instead of each row's own logit Z[i, y[i]].": '''
def cross_entropy(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    c = Z.max(axis=1)
    lse = c + np.log(np.exp(Z - c[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[:, y].mean(axis=1)))
''',
        "Does not check the labels, so a negative label silently indexes from the end.": '''
def cross_entropy(Z, y):
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y)
    c = Z.max(axis=1)
    lse = c + np.log(np.exp(Z - c[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))
''',
    },
    "cross_entropy_grad": {
        "Forgets to divide by the number of rows n.": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    G = softmax(Z)
    G[np.arange(len(y)), y] -= 1.0
    return G
''',
        "Returns one-hot minus softmax instead of softmax minus one-hot, so the gradient has the wrong sign.": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    Y = np.zeros_like(Z)
    Y[np.arange(len(y)), y] = 1.0
    return (Y - softmax(Z)) / len(y)
''',
        "Divides by the number of classes k instead of the number of rows n.": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    G = softmax(Z)
    G[np.arange(len(y)), y] -= 1.0
    return G / Z.shape[1]
''',
        "Subtracts 1 from every row of each label's column instead of only at [i, y[i]].": '''
def cross_entropy_grad(Z, y):
    Z, y = check_logits_and_labels(Z, y)
    G = softmax(Z)
    G[:, y] -= 1.0
    return G / len(y)
''',
    },
    "relu_backward": {
        "Passes the gradient through where Z >= 0 instead of only where Z > 0.": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return np.where(Z >= 0, dout, 0.0)
''',
        "Masks with dout > 0 instead of Z > 0.": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return np.where(dout > 0, dout, 0.0)
''',
        "Zeroes entries of dout in place, so the caller's array changes.": '''
def relu_backward(Z, dout):
    if np.shape(Z) != np.shape(dout):
        raise ValueError("Z and dout must have the same shape")
    dout[np.asarray(Z) <= 0] = 0.0
    return dout
''',
        "Multiplies dout by max(Z, 0) instead of by the 0/1 mask of Z > 0.": '''
def relu_backward(Z, dout):
    Z, dout = np.asarray(Z, dtype=float), np.asarray(dout, dtype=float)
    if Z.shape != dout.shape:
        raise ValueError(f"Z and dout must have the same shape; got {Z.shape} and {dout.shape}")
    return dout * np.maximum(Z, 0.0)
''',
    },
    "dense_backward": {
        "Computes dX with W instead of W transposed.": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W, X.T @ dout, dout.sum(axis=0)
''',
        "Sums dout over each row instead of over the rows (axis 0) for db.": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, X.T @ dout, dout.sum(axis=1)
''',
        "Averages dout over the rows for db instead of summing it.": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)
''',
        "Computes dW as dout^T X, the transpose of X^T dout.": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, dout.T @ X, dout.sum(axis=0)
''',
        "Divides dW by the number of rows n.": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    if X.shape[1] != W.shape[0] or dout.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, dout {dout.shape}")
    return dout @ W.T, X.T @ dout / len(X), dout.sum(axis=0)
''',
        "Does not raise ValueError when the shapes of X, W and dout do not fit.": '''
def dense_backward(X, W, dout):
    X, W, dout = (np.asarray(a, dtype=float) for a in (X, W, dout))
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)
''',
    },
    "mlp_loss_and_grads": {
        "Forgets the ReLU mask when it backpropagates into the first layer.": '''
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
        "Stores the forward pass in params, so the caller's dictionary changes.": '''
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
        "Subtracts the gradients from the caller's parameters in place.": '''
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
        "Computes W2's gradient from the pre-activation Z1 instead of the activation A1.": '''
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
        "Does not raise ValueError when the shapes of X and the parameters do not fit.": '''
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
        "Does not shuffle, so every epoch takes the batches in the original order.": '''
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
        "Updates the weights but not the biases.": '''
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
        "Records every batch's loss instead of one full-data loss per epoch.": '''
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
        "Leaves the loss before training out of the returned losses.": '''
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
        "Updates the given parameter arrays in place, so the caller's network changes.": '''
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
        "Drops the last, shorter batch of every epoch.": '''
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
        "Draws a fresh permutation for every batch instead of one per epoch.": '''
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
        "Does not raise ValueError for a batch size below 1.": '''
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
        "Restarts the step counter t at every epoch, so the bias correction comes back.": '''
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
        "Counts t once per parameter array instead of once per update.": '''
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
        "Restarts v and s at zero on every update, so Adam has no memory.": '''
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
        "Does not shuffle, so every epoch takes the batches in data order.": '''
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
        "Trains the given parameter arrays in place, so the caller's network changes.": '''
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
        "Predicts that a zero start learns as well as a random one, forgetting that zero weights give the hidden units no gradient.": 'predict_zero_init = "learns as well as a random start"\n',
        "Predicts that the loss diverges, where in fact only the output biases learn.": 'predict_zero_init = "the loss diverges"\n',
    },
    "predict_lr_times_ten": {
        "Predicts that ten times the learning rate learns faster and better, forgetting that too large a step can kill the ReLUs.": 'predict_lr_times_ten = "learns faster and ends with higher accuracy"\n',
        "Predicts that only the loss curve gets noisier, forgetting that too large a step can kill the ReLUs.": 'predict_lr_times_ten = "ends about the same, with a noisier loss curve"\n',
    },
}

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "softmax": "2 · Softmax and cross-entropy, computed stably",
    "cross_entropy": "Cross-entropy from the logits",
    "cross_entropy_grad": "The gradient of cross-entropy with respect to the logits",
    "relu_backward": "3 · Backpropagation, layer by layer",
    "dense_backward": "3 · Backpropagation, layer by layer",
    "mlp_loss_and_grads": "3 · Backpropagation, layer by layer",
    "sgd_train": "4 · Training with minibatch SGD",
    "predict_zero_init": "4 · Training with minibatch SGD",
    "adam_train": "5 · The same network trained with Adam",
    "predict_lr_times_ten": "6 · Initialisation scale and learning rate",
}

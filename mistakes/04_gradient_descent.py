"""Plausible wrong answers for 04_gradient_descent: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "gradient_descent": {
        "gradient ascent (plus sign)": '''
def gradient_descent(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(n_steps):
        x = x + lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "forgets x0 in the trajectory": '''
def gradient_descent(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    path = []
    for _ in range(n_steps):
        x = x - lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "updates x0 in place": '''
def gradient_descent(grad, x0, lr, n_steps):
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    x = np.asarray(x0, dtype=float)
    path = [x.copy()]
    for _ in range(n_steps):
        x -= lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "integer trajectory for an integer start": '''
def gradient_descent(grad, x0, lr, n_steps):
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    x0 = np.asarray(x0)
    path = np.zeros((n_steps + 1,) + x0.shape, dtype=x0.dtype)
    path[0] = x0
    for k in range(n_steps):
        path[k + 1] = path[k] - lr * grad(path[k])
    return path
''',
        "stores the same array object every step": '''
def gradient_descent(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(n_steps):
        x -= lr * grad(x)
        path.append(x)
    return np.array(path)
''',
    },
    "gradient_descent_until": {
        "no check for a blown-up x": '''
def gradient_descent_until(grad, x0, lr, tol=1e-6, max_iter=10_000):
    if tol < 0 or max_iter < 0:
        raise ValueError("tol and max_iter must be >= 0")
    x = np.array(x0, dtype=float)
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        x = x - lr * g
    return x, max_iter, np.linalg.norm(grad(x)) <= tol
''',
        "updates x0 in place": '''
def gradient_descent_until(grad, x0, lr, tol=1e-6, max_iter=10_000):
    if tol < 0 or max_iter < 0:
        raise ValueError("tol and max_iter must be >= 0")
    x = np.asarray(x0, dtype=float)
    for k in range(max_iter + 1):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        if k == max_iter:
            break
        x -= lr * g
        if not np.all(np.isfinite(x)):
            return x, k + 1, False
    return x, max_iter, False
''',
        "counts one step too many": '''
def gradient_descent_until(grad, x0, lr, tol=1e-6, max_iter=10_000):
    if tol < 0 or max_iter < 0:
        raise ValueError("tol and max_iter must be >= 0")
    x = np.array(x0, dtype=float)
    for k in range(1, max_iter + 1):
        x = x - lr * grad(x)
        if not np.all(np.isfinite(x)):
            return x, k, False
        if np.linalg.norm(grad(x)) <= tol:
            return x, k + 1, True
    return x, max_iter, False
''',
        "says converged when the budget runs out": '''
def gradient_descent_until(grad, x0, lr, tol=1e-6, max_iter=10_000):
    if tol < 0 or max_iter < 0:
        raise ValueError("tol and max_iter must be >= 0")
    x = np.array(x0, dtype=float)
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        x = x - lr * g
        if not np.all(np.isfinite(x)):
            return x, k + 1, False
    return x, max_iter, True
''',
        "tests the step size, not the gradient": '''
def gradient_descent_until(grad, x0, lr, tol=1e-6, max_iter=10_000):
    if tol < 0 or max_iter < 0:
        raise ValueError("tol and max_iter must be >= 0")
    x = np.array(x0, dtype=float)
    for k in range(max_iter):
        step = lr * grad(x)
        if np.linalg.norm(step) <= tol:
            return x, k, True
        x = x - step
        if not np.all(np.isfinite(x)):
            return x, k + 1, False
    return x, max_iter, False
''',
    },
    "quadratic_minimizer": {
        "forgets the minus sign": '''
def quadratic_minimizer(H, g):
    H, g = np.asarray(H, dtype=float), np.asarray(g, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T) or np.any(np.linalg.eigvalsh(H) <= 0):
        raise ValueError("H must be symmetric positive definite")
    return np.linalg.solve(H, g)
''',
        "inverts H": '''
def quadratic_minimizer(H, g):
    H, g = np.asarray(H, dtype=float), np.asarray(g, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T) or np.any(np.linalg.eigvalsh(H) <= 0):
        raise ValueError("H must be symmetric positive definite")
    return -np.linalg.inv(H) @ g
''',
        "only checks symmetry": '''
def quadratic_minimizer(H, g):
    H, g = np.asarray(H, dtype=float), np.asarray(g, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError("H must be symmetric")
    return np.linalg.solve(H, -g)
''',
        "no validation at all": '''
def quadratic_minimizer(H, g):
    return np.linalg.solve(np.asarray(H, dtype=float), -np.asarray(g, dtype=float))
''',
    },
    "max_stable_learning_rate": {
        "one over lambda_max": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError("H must be symmetric positive definite")
    return float(1.0 / np.linalg.eigvalsh(H)[-1])
''',
        "uses the smallest eigenvalue": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError("H must be symmetric positive definite")
    return float(2.0 / np.linalg.eigvalsh(H)[0])
''',
        "largest diagonal entry instead of eigenvalue": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError("H must be symmetric positive definite")
    return float(2.0 / np.max(np.diag(H)))
''',
        "no check that H is positive definite": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError("H must be square")
    return float(2.0 / np.max(np.linalg.eigvalsh(H)))
''',
    },
    "gd_with_decay": {
        "decay starts one step late (k + 1)": '''
def gd_with_decay(grad, x0, lr0, decay, n_steps):
    if n_steps < 0 or decay < 0:
        raise ValueError("n_steps and decay must be >= 0")
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for k in range(n_steps):
        x = x - lr0 / (1 + decay * (k + 1)) * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "exponential decay lr0 * decay**k": '''
def gd_with_decay(grad, x0, lr0, decay, n_steps):
    if n_steps < 0 or decay < 0:
        raise ValueError("n_steps and decay must be >= 0")
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for k in range(n_steps):
        x = x - lr0 * decay**k * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "operator precedence: lr0 / 1 + decay * k": '''
def gd_with_decay(grad, x0, lr0, decay, n_steps):
    if n_steps < 0 or decay < 0:
        raise ValueError("n_steps and decay must be >= 0")
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for k in range(n_steps):
        x = x - (lr0 / 1 + decay * k) * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "no ValueError for a negative decay": '''
def gd_with_decay(grad, x0, lr0, decay, n_steps):
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for k in range(n_steps):
        x = x - lr0 / (1 + decay * k) * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
    },
    "best_of_restarts": {
        "returns the best start instead of its end point": '''
def best_of_restarts(f, grad, starts, lr, n_steps):
    if len(starts) == 0:
        raise ValueError("no starts")
    best = None
    for s in starts:
        end = gradient_descent(grad, s, lr, n_steps)[-1]
        val = float(f(end))
        if np.isfinite(val) and (best is None or val < best[1]):
            best = (np.array(s, dtype=float), val)
    if best is None:
        raise ValueError("every run diverged")
    return best
''',
        "keeps the highest value": '''
def best_of_restarts(f, grad, starts, lr, n_steps):
    if len(starts) == 0:
        raise ValueError("no starts")
    best = None
    for s in starts:
        end = gradient_descent(grad, s, lr, n_steps)[-1]
        val = float(f(end))
        if np.isfinite(val) and (best is None or val > best[1]):
            best = (end, val)
    if best is None:
        raise ValueError("every run diverged")
    return best
''',
        "ranks runs by f at the starting point": '''
def best_of_restarts(f, grad, starts, lr, n_steps):
    if len(starts) == 0:
        raise ValueError("no starts")
    i = int(np.argmin([float(f(np.asarray(s, dtype=float))) for s in starts]))
    end = gradient_descent(grad, starts[i], lr, n_steps)[-1]
    return end, float(f(end))
''',
        "argmin over values that include nan": '''
def best_of_restarts(f, grad, starts, lr, n_steps):
    if len(starts) == 0:
        raise ValueError("no starts")
    ends = [gradient_descent(grad, s, lr, n_steps)[-1] for s in starts]
    values = np.array([float(f(e)) for e in ends])
    i = int(np.argmin(values))
    return ends[i], float(values[i])
''',
    },
    'predict_gd_alpha_one': {
        "predicts 'converges'": 'predict_gd_alpha_one = "converges"\n',
        "predicts 'diverges'": 'predict_gd_alpha_one = "diverges"\n',
    },
    'predict_noise_cloud': {
        "predicts 'falls to a quarter'": 'predict_noise_cloud = "falls to a quarter"\n',
        "predicts 'stays the same'": 'predict_noise_cloud = "stays the same"\n',
    },
    'predict_newton_steps': {
        "predicts 'about ten'": 'predict_newton_steps = "about ten"\n',
        "predicts 'as many as gradient descent'": 'predict_newton_steps = "as many as gradient descent"\n',
    },
}

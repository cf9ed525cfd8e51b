"""Plausible wrong answers for 04_gradient_descent: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "gradient_descent": {
        "Adds lr * grad(x) instead of subtracting it, so it climbs uphill.": '''
def gradient_descent(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(n_steps):
        x = x + lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "Leaves the starting point x0 out of the returned trajectory.": '''
def gradient_descent(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    path = []
    for _ in range(n_steps):
        x = x - lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''',
        "Updates x0 in place, so the caller's starting point changes.": '''
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
        "Stores the trajectory with the integer dtype of an integer start, so the steps are truncated.": '''
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
        "Appends the same array object at every step, so every row of the trajectory ends up equal to the last point.": '''
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
        "Does not stop when x blows up to inf or nan.": '''
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
        "Updates x0 in place, so the caller's starting point changes.": '''
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
        "Counts one step too many before it reports the number of steps taken.": '''
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
        "Reports converged = True when it stops because max_iter ran out.": '''
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
        "Stops when the step lr * grad(x) is small instead of when the gradient is small.": '''
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
        "Solves H x = g instead of H x = -g, so it returns the minimiser with the wrong sign.": '''
def quadratic_minimizer(H, g):
    H, g = np.asarray(H, dtype=float), np.asarray(g, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T) or np.any(np.linalg.eigvalsh(H) <= 0):
        raise ValueError("H must be symmetric positive definite")
    return np.linalg.solve(H, g)
''',
        "Inverts H explicitly instead of solving the linear system.": '''
def quadratic_minimizer(H, g):
    H, g = np.asarray(H, dtype=float), np.asarray(g, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T) or np.any(np.linalg.eigvalsh(H) <= 0):
        raise ValueError("H must be symmetric positive definite")
    return -np.linalg.inv(H) @ g
''',
        "Checks that H is symmetric but not that it is positive definite.": '''
def quadratic_minimizer(H, g):
    H, g = np.asarray(H, dtype=float), np.asarray(g, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError("H must be symmetric")
    return np.linalg.solve(H, -g)
''',
        "Does not check that H is symmetric positive definite before solving.": '''
def quadratic_minimizer(H, g):
    return np.linalg.solve(np.asarray(H, dtype=float), -np.asarray(g, dtype=float))
''',
    },
    "max_stable_learning_rate": {
        "Returns 1 / lambda_max instead of 2 / lambda_max.": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError("H must be symmetric positive definite")
    return float(1.0 / np.linalg.eigvalsh(H)[-1])
''',
        "Uses the smallest eigenvalue of H instead of the largest.": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError("H must be symmetric positive definite")
    return float(2.0 / np.linalg.eigvalsh(H)[0])
''',
        "Divides by the largest diagonal entry of H instead of its largest eigenvalue.": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError("H must be symmetric positive definite")
    return float(2.0 / np.max(np.diag(H)))
''',
        "Does not raise ValueError when H is not positive definite.": '''
def max_stable_learning_rate(H):
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError("H must be square")
    return float(2.0 / np.max(np.linalg.eigvalsh(H)))
''',
    },
    "gd_with_decay": {
        "Uses lr0 / (1 + decay (k + 1)), so even the first step is already shortened.": '''
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
        "Decays the step exponentially, lr0 * decay**k, instead of lr0 / (1 + decay k).": '''
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
        "Writes lr0 / 1 + decay * k, so the step grows instead of shrinking.": '''
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
        "Does not raise ValueError when decay is negative.": '''
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
        "Returns the best run's starting point instead of its end point.": '''
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
        "Keeps the run with the highest final value instead of the lowest.": '''
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
        "Ranks the runs by f at their starting points instead of at their end points.": '''
def best_of_restarts(f, grad, starts, lr, n_steps):
    if len(starts) == 0:
        raise ValueError("no starts")
    i = int(np.argmin([float(f(np.asarray(s, dtype=float))) for s in starts]))
    end = gradient_descent(grad, starts[i], lr, n_steps)[-1]
    return end, float(f(end))
''',
        "Takes the argmin over values that include nan, so a diverged run can win.": '''
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
        "Predicts that gradient descent converges at alpha = 1, where it oscillates forever.": 'predict_gd_alpha_one = "converges"\n',
        "Predicts that gradient descent diverges at alpha = 1, where it oscillates forever.": 'predict_gd_alpha_one = "diverges"\n',
    },
    'predict_noise_cloud': {
        "Predicts that the noise cloud falls to a quarter when alpha halves, as if its size scaled with alpha squared.": 'predict_noise_cloud = "falls to a quarter"\n',
        "Predicts that the noise cloud does not depend on alpha.": 'predict_noise_cloud = "stays the same"\n',
    },
    'predict_newton_steps': {
        "Predicts about ten Newton steps on a quadratic, where one is enough.": 'predict_newton_steps = "about ten"\n',
        "Predicts that Newton's method needs as many steps as gradient descent on a quadratic.": 'predict_newton_steps = "as many as gradient descent"\n',
    },
}

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "quadratic_minimizer": "1. Solving $\\nabla f = 0$ directly, and why we usually cannot",
    "gradient_descent": "2. The update rule, and why a small step goes downhill",
    "predict_gd_alpha_one": "3. One dimension: smooth, oscillating, diverging",
    "max_stable_learning_rate": "5. Which step sizes converge? The eigenvalues decide",
    "gd_with_decay": "6. Decaying step sizes",
    "predict_noise_cloud": "6. Decaying step sizes",
    "gradient_descent_until": "7. When to stop",
    "best_of_restarts": "8. Several minima: where you start decides where you end",
    "predict_newton_steps": "10. Newton's method: let the Hessian choose the step",
}

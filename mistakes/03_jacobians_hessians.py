"""Plausible wrong answers for 03_jacobians_hessians: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "chain_rule_gradient": {
        "only the path through u1": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([2 * u1 * u2 * a, 2 * u1 * u2 * b])
''',
        "forgets the factor 2 from u1^2": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([u1 * u2 * a + u1**2 * x2, u1 * u2 * b + u1**2 * x1])
''',
        "du2/dx_i with the wrong variable": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([2 * u1 * u2 * a + u1**2 * x1, 2 * u1 * u2 * b + u1**2 * x2])
''',
        "a and b swapped": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([2 * u1 * u2 * b + u1**2 * x2, 2 * u1 * u2 * a + u1**2 * x1])
''',
    },
    "symbolic_gradient": {
        "row vector instead of column": '''
def symbolic_gradient(expr, variables):
    return sp.Matrix([[sp.diff(expr, v) for v in variables]])
''',
        "returns a plain list": '''
def symbolic_gradient(expr, variables):
    return [sp.diff(expr, v) for v in variables]
''',
        "uses the expression's own symbols, sorted": '''
def symbolic_gradient(expr, variables):
    syms = sorted(expr.free_symbols, key=str)
    return sp.Matrix([sp.diff(expr, v) for v in syms])
''',
        "jacobian without transposing": '''
def symbolic_gradient(expr, variables):
    return sp.Matrix([expr]).jacobian(list(variables))
''',
    },
    "symbolic_hessian": {
        "only the diagonal": '''
def symbolic_hessian(expr, variables):
    variables = list(variables)
    return sp.diag(*[sp.diff(expr, v, 2) for v in variables])
''',
        "products of first derivatives off the diagonal": '''
def symbolic_hessian(expr, variables):
    variables = list(variables)
    n = len(variables)
    return sp.Matrix(n, n, lambda i, j: sp.diff(expr, variables[i], 2) if i == j
                     else sp.diff(expr, variables[i]) * sp.diff(expr, variables[j]))
''',
        "returns the gradient": '''
def symbolic_hessian(expr, variables):
    return sp.Matrix([sp.diff(expr, v) for v in variables])
''',
        "list of lists": '''
def symbolic_hessian(expr, variables):
    variables = list(variables)
    return [[sp.diff(expr, a, b) for b in variables] for a in variables]
''',
    },
    "numerical_jacobian": {
        "transposed (n, m)": '''
def numerical_jacobian(F, x, h=1e-5):
    x = np.array(x, dtype=float)
    rows = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        rows.append((np.ravel(F(x + e)) - np.ravel(F(x - e))) / (2 * h))
    return np.array(rows)
''',
        "forward differences": '''
def numerical_jacobian(F, x, h=1e-5):
    x = np.array(x, dtype=float)
    f0 = np.ravel(F(x))
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((np.ravel(F(x + e)) - f0) / h)
    return np.stack(cols, axis=1)
''',
        "divides by h instead of 2h": '''
def numerical_jacobian(F, x, h=1e-5):
    x = np.array(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((np.ravel(F(x + e)) - np.ravel(F(x - e))) / h)
    return np.stack(cols, axis=1)
''',
        "ignores h": '''
def numerical_jacobian(F, x, h=1e-5):
    x = np.array(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = 1e-6
        cols.append((np.ravel(F(x + e)) - np.ravel(F(x - e))) / 2e-6)
    return np.stack(cols, axis=1)
''',
    },
    "numerical_hessian": {
        "forward differences": '''
def numerical_hessian(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    n = x.size
    E = h * np.eye(n)
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i]) - f(x + E[j]) + f(x)) / h**2
            H[j, i] = H[i, j]
    return H
''',
        "Jacobian of the central gradient with forward outer steps (not symmetric)": '''
def numerical_hessian(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    n = x.size
    E = h * np.eye(n)
    def grad(p):
        return np.array([(f(p + E[k]) - f(p - E[k])) / (2 * h) for k in range(n)])
    g0 = grad(x)
    return np.stack([(grad(x + E[j]) - g0) / h for j in range(n)], axis=1)
''',
        "diagonal divided by 4h^2 with a step of h": '''
def numerical_hessian(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    n = x.size
    E = h * np.eye(n)
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            if i == j:
                H[i, i] = (f(x + E[i]) - 2 * f(x) + f(x - E[i])) / (4 * h * h)
            else:
                H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])) / (4 * h * h)
                H[j, i] = H[i, j]
    return H
''',
        "fills only the upper triangle": '''
def numerical_hessian(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    n = x.size
    E = h * np.eye(n)
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])) / (4 * h * h)
    return H
''',
    },
    "quadratic_form_gradient": {
        "2 A x (only right for symmetric A)": '''
def quadratic_form_gradient(A, x):
    return 2 * np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
''',
        "A x": '''
def quadratic_form_gradient(A, x):
    return np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
''',
        "2 A^T x": '''
def quadratic_form_gradient(A, x):
    return 2 * np.asarray(A, dtype=float).T @ np.asarray(x, dtype=float)
''',
        "modifies A in place": '''
def quadratic_form_gradient(A, x):
    A += A.T
    return A @ np.asarray(x, dtype=float)
''',
    },
    "least_squares_gradient": {
        "forgets the factor 2": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return A.T @ (A @ np.asarray(x, dtype=float) - np.asarray(b, dtype=float))
''',
        "sign error (b - Ax)": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ (np.asarray(b, dtype=float) - A @ np.asarray(x, dtype=float))
''',
        "factor 2 missing on the b term": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ A @ np.asarray(x, dtype=float) - A.T @ np.asarray(b, dtype=float)
''',
        "mean instead of sum (divides by m)": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ (A @ np.asarray(x, dtype=float) - np.asarray(b, dtype=float)) / A.shape[0]
''',
    },
    "least_squares_hessian": {
        "A A^T instead of A^T A": '''
def least_squares_hessian(A):
    A = np.asarray(A, dtype=float)
    return 2 * A @ A.T
''',
        "forgets the factor 2": '''
def least_squares_hessian(A):
    A = np.asarray(A, dtype=float)
    return A.T @ A
''',
        "mean instead of sum (divides by m)": '''
def least_squares_hessian(A):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ A / A.shape[0]
''',
    },
    'predict_jacobian_of_Ax': {
        "predicts 'A transposed, shape (3, 2)'": 'predict_jacobian_of_Ax = "A transposed, shape (3, 2)"\n',
        "predicts 'a vector of shape (3,)'": 'predict_jacobian_of_Ax = "a vector of shape (3,)"\n',
    },
    'predict_stationary_type': {
        "predicts 'a minimum'": 'predict_stationary_type = "a minimum"\n',
        "predicts 'a maximum'": 'predict_stationary_type = "a maximum"\n',
    },
}

"""Plausible wrong answers for 03_jacobians_hessians: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "chain_rule_gradient": {
        "Follows only the path through u1 and drops the one through u2 = x1 x2.": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([2 * u1 * u2 * a, 2 * u1 * u2 * b])
''',
        "Forgets the factor 2 that differentiating u1^2 brings down.": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([u1 * u2 * a + u1**2 * x2, u1 * u2 * b + u1**2 * x1])
''',
        "Uses du2/dx1 = x1 instead of x2 (and du2/dx2 = x2 instead of x1).": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([2 * u1 * u2 * a + u1**2 * x1, 2 * u1 * u2 * b + u1**2 * x2])
''',
        "Swaps a and b, the partial derivatives of u1 with respect to x1 and x2.": '''
def chain_rule_gradient(x, a, b):
    x1, x2 = np.asarray(x, dtype=float)
    u1, u2 = a * x1 + b * x2, x1 * x2
    return np.array([2 * u1 * u2 * b + u1**2 * x2, 2 * u1 * u2 * a + u1**2 * x1])
''',
    },
    "symbolic_gradient": {
        "Returns the gradient as a row vector (1 x n) instead of a column vector.": '''
def symbolic_gradient(expr, variables):
    return sp.Matrix([[sp.diff(expr, v) for v in variables]])
''',
        "Returns a plain Python list instead of a SymPy column Matrix.": '''
def symbolic_gradient(expr, variables):
    return [sp.diff(expr, v) for v in variables]
''',
        "Differentiates by the expression's own symbols in alphabetical order instead of the given variables.": '''
def symbolic_gradient(expr, variables):
    syms = sorted(expr.free_symbols, key=str)
    return sp.Matrix([sp.diff(expr, v) for v in syms])
''',
    },
    "symbolic_hessian": {
        "Keeps only the second derivatives on the diagonal and leaves zeros elsewhere.": '''
def symbolic_hessian(expr, variables):
    variables = list(variables)
    return sp.diag(*[sp.diff(expr, v, 2) for v in variables])
''',
        "Puts products of first derivatives off the diagonal instead of mixed second derivatives.": '''
def symbolic_hessian(expr, variables):
    variables = list(variables)
    n = len(variables)
    return sp.Matrix(n, n, lambda i, j: sp.diff(expr, variables[i], 2) if i == j
                     else sp.diff(expr, variables[i]) * sp.diff(expr, variables[j]))
''',
        "Returns the gradient (first derivatives) instead of the Hessian.": '''
def symbolic_hessian(expr, variables):
    return sp.Matrix([sp.diff(expr, v) for v in variables])
''',
        "Returns a list of lists instead of a SymPy Matrix.": '''
def symbolic_hessian(expr, variables):
    variables = list(variables)
    return [[sp.diff(expr, a, b) for b in variables] for a in variables]
''',
    },
    "numerical_jacobian": {
        "Returns the transposed Jacobian, of shape (n, m) instead of (m, n).": '''
def numerical_jacobian(F, x, h=1e-5):
    x = np.array(x, dtype=float)
    rows = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        rows.append((np.ravel(F(x + e)) - np.ravel(F(x - e))) / (2 * h))
    return np.array(rows)
''',
        "Uses forward differences instead of central differences.": '''
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
        "Divides the central difference by h instead of 2h.": '''
def numerical_jacobian(F, x, h=1e-5):
    x = np.array(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((np.ravel(F(x + e)) - np.ravel(F(x - e))) / h)
    return np.stack(cols, axis=1)
''',
        "Ignores the argument h and always steps by 1e-6.": '''
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
        "Uses forward differences instead of central differences for the second derivatives.": '''
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
        "Differentiates the central-difference gradient with forward steps, so the result is not symmetric.": '''
def numerical_hessian(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    n = x.size
    E = h * np.eye(n)
    def grad(p):
        return np.array([(f(p + E[k]) - f(p - E[k])) / (2 * h) for k in range(n)])
    g0 = grad(x)
    return np.stack([(grad(x + E[j]) - g0) / h for j in range(n)], axis=1)
''',
        "Divides the diagonal entries by 4h^2 although they step by h, not 2h.": '''
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
        "Fills only the upper triangle and leaves zeros below the diagonal.": '''
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
        "Returns 2 A x, which is right only for a symmetric A, instead of (A + A^T) x.": '''
def quadratic_form_gradient(A, x):
    return 2 * np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
''',
        "Returns A x instead of (A + A^T) x.": '''
def quadratic_form_gradient(A, x):
    return np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
''',
        "Returns 2 A^T x, which is right only for a symmetric A, instead of (A + A^T) x.": '''
def quadratic_form_gradient(A, x):
    return 2 * np.asarray(A, dtype=float).T @ np.asarray(x, dtype=float)
''',
        "Adds A^T to A in place, so the caller's matrix changes.": '''
def quadratic_form_gradient(A, x):
    A = np.asarray(A, dtype=float)  # the same array when A already is one
    A += A.T
    return A @ np.asarray(x, dtype=float)
''',
    },
    "least_squares_gradient": {
        "Forgets the factor 2 and returns A^T (Ax - b).": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return A.T @ (A @ np.asarray(x, dtype=float) - np.asarray(b, dtype=float))
''',
        "Uses the residual b - Ax instead of Ax - b, so the gradient has the wrong sign.": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ (np.asarray(b, dtype=float) - A @ np.asarray(x, dtype=float))
''',
        "Forgets the factor 2 on the A^T b term only.": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ A @ np.asarray(x, dtype=float) - A.T @ np.asarray(b, dtype=float)
''',
        "Divides by the number of rows m, the gradient of the mean instead of the sum of squares.": '''
def least_squares_gradient(A, b, x):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ (A @ np.asarray(x, dtype=float) - np.asarray(b, dtype=float)) / A.shape[0]
''',
    },
    "least_squares_hessian": {
        "Returns 2 A A^T instead of 2 A^T A.": '''
def least_squares_hessian(A):
    A = np.asarray(A, dtype=float)
    return 2 * A @ A.T
''',
        "Forgets the factor 2 and returns A^T A.": '''
def least_squares_hessian(A):
    A = np.asarray(A, dtype=float)
    return A.T @ A
''',
        "Divides by the number of rows m, the Hessian of the mean instead of the sum of squares.": '''
def least_squares_hessian(A):
    A = np.asarray(A, dtype=float)
    return 2 * A.T @ A / A.shape[0]
''',
    },
    'predict_jacobian_of_Ax': {
        "Predicts A transposed, the other layout, instead of A itself.": 'predict_jacobian_of_Ax = "A transposed, shape (3, 2)"\n',
        "Predicts a vector, as if F(x) = Ax had a single output.": 'predict_jacobian_of_Ax = "a vector of shape (3,)"\n',
    },
    'predict_stationary_type': {
        "Predicts a minimum without checking that the Hessian has eigenvalues of both signs.": 'predict_stationary_type = "a minimum"\n',
        "Predicts a maximum without checking that the Hessian has eigenvalues of both signs.": 'predict_stationary_type = "a maximum"\n',
    },
}

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "chain_rule_gradient": "1. The multivariate chain rule",
    "symbolic_gradient": "2. Gradients as column vectors, symbolically",
    "numerical_jacobian": "3. The Jacobian of a vector-valued function",
    "symbolic_hessian": "4. The Hessian: second derivatives and curvature",
    "numerical_hessian": "4. The Hessian: second derivatives and curvature",
    "quadratic_form_gradient": "5.2 Quadratic forms: $\\nabla_x\\, x^\\top A x = (A + A^\\top)\\,x$",
    "least_squares_gradient": "5.4 Least squares: $\\nabla_x \\lVert Ax - b\\rVert^2 = 2A^\\top A x - 2A^\\top b$",
    "least_squares_hessian": "5.4 Least squares: $\\nabla_x \\lVert Ax - b\\rVert^2 = 2A^\\top A x - 2A^\\top b$",
    "predict_jacobian_of_Ax": "5.5 The lecture's table and the two layouts",
    "predict_stationary_type": "7. Curvature decides: minimum, maximum or saddle",
}

"""Plausible wrong answers for 08_autodiff: each must fail at least one of its exercise's test cells.

The `Dual` and `Var` exercises need the whole class and its companion functions in every wrong
answer. Their correct sources are written once below (DUAL_REFERENCE, VAR_REFERENCE: the solution
cells of source/08_autodiff/08_autodiff.ipynb, grade_ids `Dual` and `Var`, without the
### BEGIN/END SOLUTION markers), and each wrong answer is the reference with a small edit made
by `_mutate`, which refuses an edit whose target text does not occur exactly once (the two wrong
traversals instead append a replacement `Var.backward` to the reference). If the notebook's
solution changes, update the reference here; a stale edit then fails loudly at import time instead
of silently producing a "bug" that is actually correct.
"""


def _mutate(reference: str, old: str, new: str) -> str:
    """`reference` with its single occurrence of `old` replaced by `new`; AssertionError otherwise."""
    count = reference.count(old)
    assert count == 1, (
        f"mistakes/08_autodiff.py: a wrong answer's edit expects {old!r} exactly once in the reference, "
        f"found it {count} times; update the edit (or the reference) to match the notebook's solution."
    )
    mutated = reference.replace(old, new)
    assert mutated != reference, f"mistakes/08_autodiff.py: replacing {old!r} by {new!r} changes nothing"
    return mutated


DUAL_REFERENCE = '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
'''

VAR_REFERENCE = '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
'''

MISTAKES = {
    'seed_function': {
        "Takes sin instead of cos of x^2 + exp(x^2).": '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.sin(c)
    return float(f) if f.ndim == 0 else f
''',
        "Computes exp(x)^2 instead of exp(x^2).": '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(x) ** 2
    c = a + b
    f = np.sqrt(c) + np.cos(c)
    return float(f) if f.ndim == 0 else f
''',
        "Takes cos of x^2 alone and forgets the exp(x^2) inside the cosine.": '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.cos(a)
    return float(f) if f.ndim == 0 else f
''',
        "Squares the input array in place, so the caller's x changes.": '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    x **= 2
    a = x
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.cos(c)
    return float(f) if f.ndim == 0 else f
''',
    },
    'seed_derivative': {
        "Forgets the direct path from a to c when it adds up the adjoints.": '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        "Forgets the path from a through b to c when it adds up the adjoints.": '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        "Uses +sin instead of -sin as the derivative of cos.": '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * np.sin(c)  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0 + b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        "Forgets the 1/2 in the derivative of the square root.": '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / d + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0 + b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        "Forgets the factor 2 of d(x^2)/dx = 2x.": '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0 + b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
    },
    'Dual': {
        "Makes __rsub__ compute self - other instead of other - self.": _mutate(
            DUAL_REFERENCE,
            'return as_dual(other) - self',
            'return self - as_dual(other)',
        ),
        "Makes __rtruediv__ compute self / other instead of other / self.": _mutate(
            DUAL_REFERENCE,
            'return as_dual(other) / self',
            'return self / as_dual(other)',
        ),
        "Adds u v' in the quotient rule's numerator instead of subtracting it.": _mutate(
            DUAL_REFERENCE,
            '(self.der * other.val - self.val * other.der) / other.val**2',
            '(self.der * other.val + self.val * other.der) / other.val**2',
        ),
        "Drops the u v' term of the product rule.": _mutate(
            DUAL_REFERENCE,
            'self.der * other.val + self.val * other.der)',
            'self.der * other.val)',
        ),
        "Writes the power rule as p u^p instead of p u^(p-1).": _mutate(
            DUAL_REFERENCE,
            'p * self.val ** (p - 1) * self.der',
            'p * self.val**p * self.der',
        ),
        "Forgets to multiply the power rule by the inner derivative u'.": _mutate(
            DUAL_REFERENCE,
            'p * self.val ** (p - 1) * self.der',
            'p * self.val ** (p - 1)',
        ),
        "Gives dual_log the derivative 1/u instead of u'/u.": _mutate(
            DUAL_REFERENCE,
            'return Dual(math.log(x.val), x.der / x.val)',
            'return Dual(math.log(x.val), 1.0 / x.val)',
        ),
        "Forgets the 1/2 in dual_sqrt's derivative.": _mutate(
            DUAL_REFERENCE,
            'return Dual(root, x.der / (2 * root))',
            'return Dual(root, x.der / root)',
        ),
        "Gives dual_cos the derivative +sin(u) u' instead of -sin(u) u'.": _mutate(
            DUAL_REFERENCE,
            'return Dual(math.cos(x.val), -math.sin(x.val) * x.der)',
            'return Dual(math.cos(x.val), math.sin(x.val) * x.der)',
        ),
        "Gives dual_exp the derivative exp(u) instead of exp(u) u'.": _mutate(
            DUAL_REFERENCE,
            'return Dual(value, value * x.der)',
            'return Dual(value, value)',
        ),
        "Turns plain numbers into Dual(c, 1.0) instead of the constant Dual(c, 0.0).": _mutate(
            DUAL_REFERENCE,
            'else Dual(value, 0.0)',
            'else Dual(value, 1.0)',
        ),
        "Makes __add__ change self in place instead of returning a new Dual.": _mutate(
            DUAL_REFERENCE,
            '        return Dual(self.val + other.val, self.der + other.der)\n',
            '        self.val += other.val\n'
            '        self.der += other.der\n'
            '        return self\n',
        ),
        "Uses np.log in dual_log and does not raise ValueError for a value <= 0.": _mutate(
            DUAL_REFERENCE,
            '    if x.val <= 0:\n'
            '        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")\n'
            '    return Dual(math.log(x.val), x.der / x.val)\n',
            '    return Dual(np.log(x.val), x.der / x.val)\n',
        ),
    },
    'forward_derivative': {
        "Returns the value f(x) instead of the derivative.": '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return out.val
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        "Seeds Dual(x) with der = 0 instead of 1, so the derivative comes out 0.": '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x))
    if isinstance(out, Dual):
        return out.der
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        "Returns the whole Dual instead of its derivative part.": '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return out
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        "Estimates the derivative with a central difference instead of forward mode.": '''
def forward_derivative(f, x):
    h = 1e-6
    return (f(x + h) - f(x - h)) / (2 * h)
''',
    },
    'Var': {
        "Overwrites a node's grad instead of adding each path's contribution.": _mutate(
            VAR_REFERENCE,
            'parent.grad += node.grad * local',
            'parent.grad = node.grad * local',
        ),
        # The two entries below rewrite the whole traversal, so they append a new Var.backward.
        "Visits the nodes breadth-first from the output instead of in reverse topological order.": VAR_REFERENCE + '''

def _backward_breadth_first(self):
    """Visits each node once, breadth-first from the output: a parent can be pushed before all its children are."""
    self.grad = 1.0
    queue, seen = [self], {id(self)}
    while queue:
        node = queue.pop(0)
        for parent, local in node.parents:
            parent.grad += node.grad * local
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)


Var.backward = _backward_breadth_first
del _backward_breadth_first
''',
        "Pushes gradients recursively, so a node reached by two paths sends its running total twice.": VAR_REFERENCE + '''

def _backward_recursive(self):
    """Seeds the output, then pushes recursively: a node reached by two paths re-sends its running total."""
    self.grad = 1.0
    self._push()


def _push(self):
    for parent, local in self.parents:
        parent.grad += self.grad * local
        parent._push()


Var.backward = _backward_recursive
Var._push = _push
del _backward_recursive, _push
''',
        "Walks the topological order forwards instead of backwards.": _mutate(
            VAR_REFERENCE,
            'for node in reversed(order):',
            'for node in order:',
        ),
        "Forgets to seed the output's grad with 1.": _mutate(
            VAR_REFERENCE,
            '        self.grad = 1.0\n',
            '',
        ),
        "Starts every grad as None instead of 0.": _mutate(
            _mutate(
                VAR_REFERENCE,
                'self.grad = 0.0',
                'self.grad = None',
            ),
            '        self.grad = 1.0\n',
            '        self.grad = 1.0\n'
            '        for node in order:\n'
            '            node.grad = node.grad or 0.0\n',
        ),
        "Makes __rsub__ compute self - other instead of other - self.": _mutate(
            VAR_REFERENCE,
            'return as_var(other) - self',
            'return self - as_var(other)',
        ),
        "Makes __rtruediv__ compute self / other instead of other / self.": _mutate(
            VAR_REFERENCE,
            'return as_var(other) / self',
            'return self / as_var(other)',
        ),
        "Gives the divisor of a quotient u / v the local derivative +u/v^2 instead of -u/v^2.": _mutate(
            VAR_REFERENCE,
            '(other, -self.value / other.value**2)',
            '(other, self.value / other.value**2)',
        ),
        "Gives each factor of a product its own value as local derivative instead of the other factor's.": _mutate(
            VAR_REFERENCE,
            '[(self, other.value), (other, self.value)]',
            '[(self, self.value), (other, other.value)]',
        ),
        "Records only the first factor of a product as a parent, so the second gets no gradient.": _mutate(
            VAR_REFERENCE,
            '[(self, other.value), (other, self.value)]',
            '[(self, other.value)]',
        ),
        "Writes the power rule's local derivative as p x^p instead of p x^(p-1).": _mutate(
            VAR_REFERENCE,
            '[(self, p * self.value ** (p - 1))]',
            '[(self, p * self.value**p)]',
        ),
        "Gives var_log the local derivative 1/x^2 instead of 1/x.": _mutate(
            VAR_REFERENCE,
            'return Var(math.log(x.value), [(x, 1.0 / x.value)])',
            'return Var(math.log(x.value), [(x, 1.0 / x.value**2)])',
        ),
        "Forgets the 1/2 in var_sqrt's local derivative.": _mutate(
            VAR_REFERENCE,
            'return Var(root, [(x, 0.5 / root)])',
            'return Var(root, [(x, 1.0 / root)])',
        ),
        "Gives var_cos the local derivative +sin instead of -sin.": _mutate(
            VAR_REFERENCE,
            'return Var(math.cos(x.value), [(x, -math.sin(x.value))])',
            'return Var(math.cos(x.value), [(x, math.sin(x.value))])',
        ),
        "Uses np.log in var_log and does not raise ValueError for a value <= 0.": _mutate(
            VAR_REFERENCE,
            '    if x.value <= 0:\n'
            '        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")\n'
            '    return Var(math.log(x.value), [(x, 1.0 / x.value)])\n',
            '    return Var(np.log(x.value), [(x, 1.0 / x.value)])\n',
        ),
    },
}

MISTAKES.update({
    "predict_central_difference_floor": {
        "Predicts that a small enough h reaches machine precision, forgetting round-off error.": 'predict_central_difference_floor = "below 1e-14"\n',
        "Predicts an error above 1e-6, underestimating how accurate a well-chosen central difference is.": 'predict_central_difference_floor = "above 1e-6"\n',
    },
    "predict_overwrite_grad": {
        "Predicts 6, the true derivative, as if overwriting kept both contributions.": 'predict_overwrite_grad = "6"\n',
        "Predicts 9, as if the two contributions multiplied instead of the last one replacing the first.": 'predict_overwrite_grad = "9"\n',
    },
})

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "predict_central_difference_floor": "Numerical differentiation: truncation against round-off",
    "seed_function": "2 · The computation graph",
    "seed_derivative": "3 · The forward trace and the reverse (adjoint) trace at $x = 1$",
    "Dual": "4 · Forward mode with dual numbers",
    "forward_derivative": "4 · Forward mode with dual numbers",
    "predict_overwrite_grad": "5 · Reverse mode on a recorded graph",
    "Var": "5 · Reverse mode on a recorded graph",
}

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
        'sin instead of cos': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.sin(c)
    return float(f) if f.ndim == 0 else f
''',
        'exp(x)**2 instead of exp(x**2)': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(x) ** 2
    c = a + b
    f = np.sqrt(c) + np.cos(c)
    return float(f) if f.ndim == 0 else f
''',
        'cos of x**2 only (forgets exp inside cos)': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.cos(a)
    return float(f) if f.ndim == 0 else f
''',
        'squares the input array in place': '''
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
        'forgets the direct path a -> c': '''
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
        'forgets the path a -> b -> c': '''
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
        '+sin instead of -sin': '''
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
        'missing the 1/2 of the square root': '''
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
        'forgets the factor 2 of d(x^2)/dx': '''
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
        '__rsub__ computes self - other': _mutate(
            DUAL_REFERENCE,
            'return as_dual(other) - self',
            'return self - as_dual(other)',
        ),
        '__rtruediv__ computes self / other': _mutate(
            DUAL_REFERENCE,
            'return as_dual(other) / self',
            'return self / as_dual(other)',
        ),
        'quotient rule with + instead of -': _mutate(
            DUAL_REFERENCE,
            '(self.der * other.val - self.val * other.der) / other.val**2',
            '(self.der * other.val + self.val * other.der) / other.val**2',
        ),
        "product rule missing the u v' term": _mutate(
            DUAL_REFERENCE,
            'self.der * other.val + self.val * other.der)',
            'self.der * other.val)',
        ),
        'power rule p u^p instead of p u^(p-1)': _mutate(
            DUAL_REFERENCE,
            'p * self.val ** (p - 1) * self.der',
            'p * self.val**p * self.der',
        ),
        'power rule forgets the inner derivative': _mutate(
            DUAL_REFERENCE,
            'p * self.val ** (p - 1) * self.der',
            'p * self.val ** (p - 1)',
        ),
        'dual_log derivative forgets der (1/u only)': _mutate(
            DUAL_REFERENCE,
            'return Dual(math.log(x.val), x.der / x.val)',
            'return Dual(math.log(x.val), 1.0 / x.val)',
        ),
        'dual_sqrt derivative missing 1/2': _mutate(
            DUAL_REFERENCE,
            'return Dual(root, x.der / (2 * root))',
            'return Dual(root, x.der / root)',
        ),
        'dual_cos derivative +sin': _mutate(
            DUAL_REFERENCE,
            'return Dual(math.cos(x.val), -math.sin(x.val) * x.der)',
            'return Dual(math.cos(x.val), math.sin(x.val) * x.der)',
        ),
        'dual_exp forgets the chain rule': _mutate(
            DUAL_REFERENCE,
            'return Dual(value, value * x.der)',
            'return Dual(value, value)',
        ),
        'numbers become Dual(c, 1.0)': _mutate(
            DUAL_REFERENCE,
            'else Dual(value, 0.0)',
            'else Dual(value, 1.0)',
        ),
        '__add__ modifies self in place': _mutate(
            DUAL_REFERENCE,
            '        return Dual(self.val + other.val, self.der + other.der)\n',
            '        self.val += other.val\n'
            '        self.der += other.der\n'
            '        return self\n',
        ),
        'dual_log with np.log and no ValueError': _mutate(
            DUAL_REFERENCE,
            '    if x.val <= 0:\n'
            '        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")\n'
            '    return Dual(math.log(x.val), x.der / x.val)\n',
            '    return Dual(np.log(x.val), x.der / x.val)\n',
        ),
    },
    'forward_derivative': {
        'returns the value instead of the derivative': '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return out.val
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        'seeds der = 0 (Dual(x))': '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x))
    if isinstance(out, Dual):
        return out.der
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        'returns the whole Dual': '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return out
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        'central difference instead of forward mode': '''
def forward_derivative(f, x):
    h = 1e-6
    return (f(x + h) - f(x - h)) / (2 * h)
''',
    },
    'Var': {
        'overwrites grads instead of accumulating': _mutate(
            VAR_REFERENCE,
            'parent.grad += node.grad * local',
            'parent.grad = node.grad * local',
        ),
        # The two entries below rewrite the whole traversal, so they append a new Var.backward.
        'breadth-first from the output, no topological order': VAR_REFERENCE + '''

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
        'recursion that re-sends the running total': VAR_REFERENCE + '''

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
        'walks the topological order forwards': _mutate(
            VAR_REFERENCE,
            'for node in reversed(order):',
            'for node in order:',
        ),
        'forgets to seed out.grad = 1': _mutate(
            VAR_REFERENCE,
            '        self.grad = 1.0\n',
            '',
        ),
        'grads start as None': _mutate(
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
        '__rsub__ computes self - other': _mutate(
            VAR_REFERENCE,
            'return as_var(other) - self',
            'return self - as_var(other)',
        ),
        '__rtruediv__ computes self / other': _mutate(
            VAR_REFERENCE,
            'return as_var(other) / self',
            'return self / as_var(other)',
        ),
        'quotient rule sign error': _mutate(
            VAR_REFERENCE,
            '(other, -self.value / other.value**2)',
            '(other, self.value / other.value**2)',
        ),
        'product rule with swapped local derivatives': _mutate(
            VAR_REFERENCE,
            '[(self, other.value), (other, self.value)]',
            '[(self, self.value), (other, other.value)]',
        ),
        'product rule missing a term (only self gets a parent edge)': _mutate(
            VAR_REFERENCE,
            '[(self, other.value), (other, self.value)]',
            '[(self, other.value)]',
        ),
        'power rule p x^p': _mutate(
            VAR_REFERENCE,
            '[(self, p * self.value ** (p - 1))]',
            '[(self, p * self.value**p)]',
        ),
        'var_log local derivative 1/x^2': _mutate(
            VAR_REFERENCE,
            'return Var(math.log(x.value), [(x, 1.0 / x.value)])',
            'return Var(math.log(x.value), [(x, 1.0 / x.value**2)])',
        ),
        'var_sqrt local derivative missing 1/2': _mutate(
            VAR_REFERENCE,
            'return Var(root, [(x, 0.5 / root)])',
            'return Var(root, [(x, 1.0 / root)])',
        ),
        'var_cos local derivative +sin': _mutate(
            VAR_REFERENCE,
            'return Var(math.cos(x.value), [(x, -math.sin(x.value))])',
            'return Var(math.cos(x.value), [(x, math.sin(x.value))])',
        ),
        'var_log with np.log and no ValueError': _mutate(
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
        "thinks a small enough h reaches machine precision": 'predict_central_difference_floor = "below 1e-14"\n',
        "thinks finite differences are crude": 'predict_central_difference_floor = "above 1e-6"\n',
    },
    "predict_overwrite_grad": {
        "thinks overwriting is harmless": 'predict_overwrite_grad = "6"\n',
        "multiplies the contributions": 'predict_overwrite_grad = "9"\n',
    },
})

"""A 2-layer perceptron (forward pass, softmax cross-entropy and hand-written
backward pass for a few SGD steps) against any array API namespace ``xp``."""
from __future__ import annotations


def forward(xp, params, inputs):
    """Returns (logits, hidden activations) of relu(x W1 + b1) W2 + b2."""
    w1, b1, w2, b2 = params
    hidden = xp.maximum(inputs @ w1 + b1, 0.0)
    return hidden @ w2 + b2, hidden


def log_softmax(xp, logits):
    shifted = logits - xp.max(logits, axis=-1, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=-1, keepdims=True))


def cross_entropy(xp, logits, labels):
    """Mean negative log-likelihood of integer ``labels`` under softmax(logits)."""
    log_probs = log_softmax(xp, logits)
    picked = xp.take_along_axis(log_probs, labels[:, None], axis=1)
    return -xp.mean(picked)


def train(xp, params, inputs, labels, n_classes: int, n_steps: int, learning_rate: float):
    """Full-batch gradient descent; returns (params, losses, accuracy)."""
    w1, b1, w2, b2 = params
    n = inputs.shape[0]
    one_hot = xp.astype(labels[:, None] == xp.arange(n_classes)[None, :], inputs.dtype)
    losses = []
    for _ in range(n_steps):
        logits, hidden = forward(xp, (w1, b1, w2, b2), inputs)
        losses.append(float(cross_entropy(xp, logits, labels)))
        grad_logits = (xp.exp(log_softmax(xp, logits)) - one_hot) / n
        grad_w2 = xp.matrix_transpose(hidden) @ grad_logits
        grad_b2 = xp.sum(grad_logits, axis=0)
        grad_hidden = (grad_logits @ xp.matrix_transpose(w2)) * xp.astype(hidden > 0, inputs.dtype)
        grad_w1 = xp.matrix_transpose(inputs) @ grad_hidden
        grad_b1 = xp.sum(grad_hidden, axis=0)
        w1, b1 = w1 - learning_rate * grad_w1, b1 - learning_rate * grad_b1
        w2, b2 = w2 - learning_rate * grad_w2, b2 - learning_rate * grad_b2
    logits, _ = forward(xp, (w1, b1, w2, b2), inputs)
    accuracy = xp.mean(xp.astype(xp.argmax(logits, axis=1) == labels, inputs.dtype))
    return (w1, b1, w2, b2), losses, accuracy

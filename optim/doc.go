// Package optim will hold zofo's first-order and zeroth-order optimizers
// and gradient estimators. It is empty until the training issue lands.
package optim

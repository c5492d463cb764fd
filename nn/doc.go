// Package nn will hold zofo's models (MyNet, ConvNet, MyNetPlus) on one
// contiguous parameter buffer, with forward, backward and loss built on
// package kernels. It is empty until the training issue lands; the
// directory exists so the layout of the project is visible from the start.
package nn

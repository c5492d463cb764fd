package nn

// NewConvNet is the study's ConvNet: conv3x3(1→32, pad 1) → ReLU → maxpool2
// → conv3x3(32→64, pad 1) → ReLU → maxpool2 → fc(7·7·64 → 10), PyTorch's
// default initialization.
func NewConvNet(seed uint64) *Sequential {
	var l layout
	layers := []layer{
		newConv2d(&l, "conv1", 1, 32, 3, 1, 28, 28, true, InitPyTorch),
		&MaxPool2{C: 32, H: 28, W: 28},
		newConv2d(&l, "conv2", 32, 64, 3, 1, 14, 14, true, InitPyTorch),
		&MaxPool2{C: 64, H: 14, W: 14},
		newLinearNHWC(&l, "fc", 64, 7, 7, 10, false, InitPyTorch),
	}
	return finish("convnet", 784, &l, layers, seed)
}

// NewMyNetPlus is the study's CNN: conv5x5(1→10) → maxpool2 →
// conv5x5(10→20) → dropout2d → maxpool2 → fc(320→50) → ReLU → dropout →
// fc(50→10), Xavier-uniform weights and zero biases, as the study had it
// (no ReLU in the conv stack). The study's ReLU and softmax after fc2 are
// not copied: the loss takes logits.
func NewMyNetPlus(seed uint64) *Sequential {
	var l layout
	layers := []layer{
		newConv2d(&l, "features.0", 1, 10, 5, 0, 28, 28, false, InitXavier),
		&MaxPool2{C: 10, H: 24, W: 24},
		newConv2d(&l, "features.2", 10, 20, 5, 0, 12, 12, false, InitXavier),
		&Dropout{Size: 8 * 8 * 20, PerChannel: true, C: 20, id: 1},
		&MaxPool2{C: 20, H: 8, W: 8},
		newLinearNHWC(&l, "classifier.0", 20, 4, 4, 50, true, InitXavier),
		&Dropout{Size: 50, id: 2},
		newLinear(&l, "classifier.3", 50, 10, false, InitXavier),
	}
	return finish("mynetplus", 784, &l, layers, seed)
}

package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// referenceCurve is one of the study's CSVs: its accuracies per epoch
// (TestAcc empty where the file has none) and the setting of zofo's that
// it is a run of, if any.
type referenceCurve struct {
	Name              string // file name without .csv
	TrainAcc, TestAcc []float64
	Setting           string // settingKey of the matching zofo run; "" if none matches
}

// referenceSettings says which of zofo's study runs each file of the study
// is a run of: the same model, optimizer, learning rate, momentum,
// estimator family and epochs. The study's ZO scaling, hybrid and ConvNet
// files ran ZO-SGD at lr 1e-2, which zofo's scale and hybrid runs replace
// by stableZOLR (see its comment): no run matches them.
var referenceSettings = []struct {
	file *regexp.Regexp
	spec func() Spec
}{
	{regexp.MustCompile(`^\w+run_mynet_fo_sgd-`), func() Spec { s := studySpec("fo-sgd", 1e-2, 100); s.Momentum = 0.9; return s }},
	{regexp.MustCompile(`^\w+run_mynet_fo_sign_sgd-`), func() Spec { return studySpec("fo-signsgd", 1e-4, 100) }},
	{regexp.MustCompile(`^\w+run_mynet_zo_sgd-`), func() Spec { return studySpec("zo-sgd", 1e-2, 100) }},
	{regexp.MustCompile(`^\w+run_mynet_zo_sign_sgd-`), func() Spec { return studySpec("zo-signsgd", 1e-3, 100) }},
	{regexp.MustCompile(`^mynet_fo_sgd-.*lr_0\.002-`), func() Spec { return studySpec("fo-sgd", 0.002, 100) }},
	{regexp.MustCompile(`^mynet_zo_sgd-.*lr_0\.002-`), func() Spec { return studySpec("zo-sgd", 0.002, 100) }},
	{regexp.MustCompile(`^zofosgd_fo-0\.0002_`), func() Spec { return studySpec("fo-sgd", 0.0002, 100) }},
	{regexp.MustCompile(`^zofosgd_zo-0\.0002_`), func() Spec { return studySpec("zo-sgd", 0.0002, 100) }},
	{regexp.MustCompile(`^zofosignsgd-fo-0\.01_`), func() Spec { return studySpec("fo-signsgd", 0.01, 100) }},
	{regexp.MustCompile(`^zofosignsgd-fo-0\.002_`), func() Spec { return studySpec("fo-signsgd", 0.002, 100) }},
	{regexp.MustCompile(`^zofosignsgd-fo-0\.00002_`), func() Spec { return studySpec("fo-signsgd", 0.00002, 100) }},
	{regexp.MustCompile(`^zofosignsgd-zo-0\.01_`), func() Spec { return studySpec("zo-signsgd", 0.01, 100) }},
	{regexp.MustCompile(`^zofosignsgd-zo-0\.002_`), func() Spec { return studySpec("zo-signsgd", 0.002, 100) }},
	{regexp.MustCompile(`^zofosignsgd-zo-0\.00002_`), func() Spec { return studySpec("zo-signsgd", 0.00002, 100) }},
	{regexp.MustCompile(`^compareModel_mynetplus_(fo_sgd|fo_sign_sgd|zo_sgd|zo_sign_sgd)-`), nil}, // by optimizer, below
	{regexp.MustCompile(`^FO_SGD$`), func() Spec { s := studySpec("fo-sgd", 1e-2, 20); s.Momentum = 0.9; return s }},
	{regexp.MustCompile(`^FO_SGD_conv$`), func() Spec {
		s := studySpec("fo-sgd", 1e-2, 10)
		s.Model, s.Momentum = "convnet", 0.9
		return s
	}},
	{regexp.MustCompile(`^FO_SGD_scale_`), nil}, // by scale, below
}

// referenceSetting is the settingKey of zofo's run that the study's file
// name is a run of, or "".
func referenceSetting(name string) string {
	for _, r := range referenceSettings {
		if !r.file.MatchString(name) {
			continue
		}
		if r.spec != nil {
			return settingKey(r.spec())
		}
		switch {
		case strings.HasPrefix(name, "FO_SGD_scale_"):
			scale, err := strconv.ParseFloat(strings.TrimPrefix(name, "FO_SGD_scale_"), 64)
			if err != nil {
				return ""
			}
			s := studySpec("fo-sgd", 1e-2, 10)
			s.Momentum, s.Scale = 0.9, scale
			return settingKey(s)
		default: // compareModel_mynetplus_<opt>-…
			opt := strings.SplitN(strings.TrimPrefix(name, "compareModel_mynetplus_"), "-", 2)[0]
			opt = strings.Replace(strings.ReplaceAll(opt, "_", "-"), "sign-sgd", "signsgd", 1)
			for _, s := range modelsExp() {
				if s.Model == "mynetplus" && s.Opt == opt {
					return settingKey(s)
				}
			}
		}
	}
	return ""
}

// settingKey names a run's setting: its directory without the seed, the
// training-set limit, the validation size and the estimate checks (the
// study's files match whatever these were).
func settingKey(s Spec) string {
	s.Seed, s.TrainLimit, s.Val, s.GradCheck = 0, 0, defaultVal, 0
	d := s.Dir()
	return d[:len(d)-len("-seed0")]
}

// loadReference reads every .csv under dir (the study's metrics/ and
// conv_scale_hybrid/ folders).
func loadReference(dir string) ([]referenceCurve, error) {
	var out []referenceCurve
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".csv" {
			return err
		}
		c, err := readReference(path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, c)
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no .csv files under %s", dir)
	}
	return out, err
}

// readReference reads one file: a header naming train_acc and maybe
// test_acc, one row per epoch.
func readReference(file string) (referenceCurve, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return referenceCurve{}, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) < 2 {
		return referenceCurve{}, fmt.Errorf("want a header and rows (%v)", err)
	}
	c := referenceCurve{Name: strings.TrimSuffix(filepath.Base(file), ".csv")}
	c.Setting = referenceSetting(c.Name)
	for i, h := range rows[0] {
		var dst *[]float64
		switch h {
		case "train_acc":
			dst = &c.TrainAcc
		case "test_acc":
			dst = &c.TestAcc
		default:
			continue
		}
		for _, r := range rows[1:] {
			v, err := strconv.ParseFloat(r[i], 64)
			if err != nil {
				return c, fmt.Errorf("column %s: %w", h, err)
			}
			*dst = append(*dst, v)
		}
	}
	if c.TrainAcc == nil {
		return c, fmt.Errorf("no train_acc column in %v", rows[0])
	}
	return c, nil
}

// referencesOf is the study's curves of one setting.
func referencesOf(refs []referenceCurve, key string) []referenceCurve {
	var out []referenceCurve
	for _, c := range refs {
		if c.Setting == key {
			out = append(out, c)
		}
	}
	return out
}

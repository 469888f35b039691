// Added by the ospo project (see third_party/licensecheck/OSPO-CHANGES.md): a MultiLRE can be saved once
// and loaded at run time instead of being compiled from the licence patterns, which takes seconds. The
// loaded MultiLRE uses the saved bytes in place (no copy of the 10 MB DFA).

package match

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

// serialMagic starts every saved MultiLRE; the digit is the format's version.
// Version 2 pads the DFA to a multiple of 4 bytes from the start.
const serialMagic = "LCMULTI2"

// MarshalBinary returns re's dictionary, start phrases and DFA, for UnmarshalMultiLRE.
func (re *MultiLRE) MarshalBinary() ([]byte, error) {
	b := []byte(serialMagic)
	b = binary.AppendUvarint(b, uint64(re.n))
	b = binary.AppendUvarint(b, uint64(len(re.dict.list)))
	for _, w := range re.dict.list {
		b = binary.AppendUvarint(b, uint64(len(w)))
		b = append(b, w...)
	}
	// The start phrases are written in the dictionary's order so that the same MultiLRE always gives the
	// same bytes (a map has no order).
	starts := make([]phrase, 0, len(re.start))
	for p := range re.start {
		starts = append(starts, p)
	}
	for i := 1; i < len(starts); i++ {
		for j := i; j > 0 && phraseLess(starts[j], starts[j-1]); j-- {
			starts[j], starts[j-1] = starts[j-1], starts[j]
		}
	}
	b = binary.AppendUvarint(b, uint64(len(starts)))
	for _, p := range starts {
		b = binary.AppendVarint(b, int64(p[0]))
		b = binary.AppendVarint(b, int64(p[1]))
	}
	b = binary.AppendUvarint(b, uint64(len(re.dfa)))
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	for _, v := range re.dfa {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return b, nil
}

func phraseLess(a, b phrase) bool {
	if a[0] != b[0] {
		return a[0] < b[0]
	}
	return a[1] < b[1]
}

// UnmarshalMultiLRE returns the MultiLRE that MarshalBinary saved in b. The MultiLRE uses b's memory in
// place (its words and, when b is 4-byte aligned on a little-endian machine, its DFA), so b must not be
// changed afterwards; b may be read-only memory.
func UnmarshalMultiLRE(b []byte) (*MultiLRE, error) {
	r := &serialReader{b: b}
	if len(b) < len(serialMagic) || string(b[:len(serialMagic)]) != serialMagic {
		return nil, errors.New("match: not a saved MultiLRE")
	}
	r.b = r.b[len(serialMagic):]
	patterns := r.count(0)
	n := r.count(1)
	d := &Dict{dict: make(map[string]WordID, n), list: make([]string, 0, n)}
	for i := 0; i < n && r.err == nil; i++ {
		l := r.count(1)
		if r.err != nil {
			break
		}
		w := ""
		if l > 0 {
			w = unsafe.String(&r.b[0], l)
		}
		r.b = r.b[l:]
		if _, dup := d.dict[w]; dup {
			return nil, fmt.Errorf("match: saved MultiLRE: word %q twice", w)
		}
		d.dict[w] = WordID(len(d.list))
		d.list = append(d.list, w)
	}
	n = r.count(2)
	start := make(map[phrase]struct{}, n)
	for i := 0; i < n && r.err == nil; i++ {
		start[phrase{WordID(r.varint()), WordID(r.varint())}] = struct{}{}
	}
	n = r.count(4)
	var dfa reDFA
	if r.err == nil {
		r.b = r.b[(4-(len(b)-len(r.b))%4)%4:] // padding to a multiple of 4 bytes from the start
		if len(r.b) < 4*n {
			r.err = errors.New("truncated or corrupt")
		}
	}
	if r.err == nil && n > 0 {
		if littleEndian && uintptr(unsafe.Pointer(&r.b[0]))%4 == 0 {
			dfa = unsafe.Slice((*int32)(unsafe.Pointer(&r.b[0])), n)
		} else {
			dfa = make(reDFA, n)
			for i := range dfa {
				dfa[i] = int32(binary.LittleEndian.Uint32(r.b[4*i:]))
			}
		}
		r.b = r.b[4*n:]
	}
	if r.err != nil {
		return nil, fmt.Errorf("match: saved MultiLRE: %w", r.err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("match: saved MultiLRE: %d bytes left over", len(r.b))
	}
	return &MultiLRE{dict: d, dfa: dfa, start: start, n: patterns}, nil
}

// littleEndian reports whether the machine stores an int32 as MarshalBinary writes it.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// serialReader reads varints from b, keeping the first error.
type serialReader struct {
	b   []byte
	err error
}

// count reads a count of items of at least min bytes each and checks that many bytes remain.
func (r *serialReader) count(min int) int {
	if r.err != nil {
		return 0
	}
	v, k := binary.Uvarint(r.b)
	if k <= 0 || (min > 0 && v > uint64(len(r.b)-k)/uint64(min)) || v > 1<<31 {
		r.err = errors.New("truncated or corrupt")
		return 0
	}
	r.b = r.b[k:]
	return int(v)
}

func (r *serialReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, k := binary.Varint(r.b)
	if k <= 0 {
		r.err = errors.New("truncated or corrupt")
		return 0
	}
	r.b = r.b[k:]
	return v
}

package credential

import "github.com/ikdgo/ikd/internal/codec"

func marshal(v any) ([]byte, error)      { return codec.Marshal(v) }
func unmarshal(data []byte, v any) error { return codec.Unmarshal(data, v) }

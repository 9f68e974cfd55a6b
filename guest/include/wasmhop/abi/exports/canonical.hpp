// The component model's canonical ABI, guest side: a component's WIT world (guest/component/,
// guest/component/wasmhop.wit), whose values the engine lifts and lowers. A core module has no
// export for it, so both kinds define none. The host side is src/abi/canonical.hpp.
#pragma once

#define WASMHOP_ABI_canonical_record(prefix, Wire, handle)
#define WASMHOP_ABI_canonical_bytes(prefix, Wire, handle)

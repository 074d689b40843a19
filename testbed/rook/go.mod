// Wrapper module: pins Rook, whose CRDs (deploy/examples/crds.yaml in the module download) the
// testbed installs. Nothing is built from it: Ceph needs disks this machine does not have, so
// the operator never runs. go.sum pins the download's hash (the checksum database has no entry
// for this version, so the go command verifies against go.sum alone).
module shipshape.testbed/rook

go 1.26.0

require github.com/rook/rook v1.16.0

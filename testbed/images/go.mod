// The testbed's own small programs for its images (standard library only): the pod
// sandbox's pause process and the `web` test server.
module shipshape.testbed/images

go 1.26.0

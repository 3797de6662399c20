// PeerLensStore

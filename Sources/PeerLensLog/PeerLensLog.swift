// PeerLensLog

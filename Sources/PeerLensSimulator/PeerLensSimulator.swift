// PeerLensSimulator

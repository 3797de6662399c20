print("peerlens")

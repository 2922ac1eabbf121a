print("stain")

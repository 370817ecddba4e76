print("drlsim: not yet")

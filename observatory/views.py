from django.shortcuts import render


def home(request):
    return render(request, "observatory/home.html", {})


def questionings(request):
    return render(request, "observatory/questionings.html", {})
